using AsyncFacade.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

internal sealed class ExportOptionsValidator : IValidateOptions<ExportOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportOptions options) => new ValidateOptionsResultBuilder()
        .Range("Export:MaxParallelism", options.MaxParallelism, 1, 64)
        .Range("Export:PageSize", options.PageSize, 1, 10_000)
        .Range("Export:CheckpointIntervalMilliseconds", options.CheckpointIntervalMilliseconds, 0, 600_000)
        .Range("Export:MaxResourcesPerFile", options.MaxResourcesPerFile, 1, 100_000_000)
        .Range("Export:SliceSize", options.SliceSize, 100, 100_000_000)
        .Range("Export:MinSliceSize", options.MinSliceSize, 100, 100_000_000)
        .Range("Export:PatientBatchSize", options.PatientBatchSize, 1, 500)
        .Build();
}
