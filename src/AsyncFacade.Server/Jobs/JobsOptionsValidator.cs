using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Jobs;

[OptionsValidator]
internal sealed partial class JobsOptionsValidator : IValidateOptions<JobsOptions>;
