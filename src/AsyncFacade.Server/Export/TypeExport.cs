namespace AsyncFacade.Server.Export;

/// <summary>Everything one type's export needs: its searches, its `_elements` filter, and whether its searches overlap.</summary>
internal sealed record TypeExport(string Type, IReadOnlyList<ExportSearch> Searches, ElementsFilter? Elements, bool DropDuplicates);
