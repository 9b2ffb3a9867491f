using Microsoft.Extensions.Options;

namespace AsyncFacade.SampleUpstream;

/// <summary>Source-generated checks of the DataAnnotations on <see cref="SampleUpstreamOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class SampleUpstreamOptionsValidator : IValidateOptions<SampleUpstreamOptions>;
