namespace AsyncFacade.Server.Export;

/// <summary>Where one entry.resource object lies in the buffered page: from its '{' up to and including its '}'.</summary>
internal readonly record struct ResourceSlice(SequencePosition Start, SequencePosition End);
