namespace AsyncFacade.Server.Import;

/// <summary>
/// The `mode` parameter, with the Microsoft FHIR server's names. Both write each resource with `PUT {type}/{id}`, so
/// running an import again is harmless. IncrementalLoad (the default) needs every line to have an `id`; InitialLoad,
/// meant for an empty server, creates lines without one with `POST {type}` (the upstream assigns the id; those lines
/// are the only writes a resumed import could repeat).
/// </summary>
internal enum ImportMode
{
    IncrementalLoad,
    InitialLoad,
}
