using AsyncFacade.Server.Metadata;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Async;

/// <summary>Says in the CapabilityStatement how every interaction can be run asynchronously here.</summary>
internal sealed class AsyncCapabilities : ICapabilityContributor
{
    public const string Documentation =
        "Asynchronous requests (FHIR asynchronous request pattern): add `Prefer: respond-async` to any interaction to get " +
        "`202 Accepted` and a status URL in `Content-Location`. Poll it with GET (`202` + `Retry-After` + `X-Progress` while running; " +
        "`Prefer: wait=N` long-polls: the request is held until the job finishes or N seconds pass); finished jobs answer `200` with a `batch-response` Bundle (`async-mode=bundle`, the default) or " +
        "`303` to the replayed result (`async-mode=redirect`). DELETE cancels. `callback-url=\"…\"` asks for a completion callback " +
        "(a FHIR Parameters POST). Requests without `Prefer: respond-async` are passed to the upstream unchanged.";

    public void Contribute(CapabilityStatement statement, CapabilityStatement.RestComponent server, string facadeBase) =>
        server.Documentation = string.IsNullOrEmpty(server.Documentation) ? Documentation : server.Documentation + "\n\n" + Documentation;
}
