namespace AsyncFacade.SampleUpstream.Store;

internal enum ReadStatus
{
    Found,
    NotFound,
    Gone,
}
