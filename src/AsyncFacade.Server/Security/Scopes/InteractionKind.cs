namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// The FHIR RESTful interactions (R4 http.html) as scope enforcement tells them apart: those a patient or filter
/// restriction can be applied to, and <see cref="Unrestricted"/> for everything that needs the whole type.
/// </summary>
internal enum InteractionKind
{
    /// <summary>`GET T/id`, `GET T/id/_history/vid`, `GET T/id/_history`.</summary>
    Read,

    /// <summary>`GET T?…`, `POST T/_search`.</summary>
    Search,

    /// <summary>`GET Patient/id/T?…`: a search within one patient's compartment.</summary>
    CompartmentSearch,

    /// <summary>`POST T`.</summary>
    Create,

    /// <summary>`PUT T/id`.</summary>
    Update,

    /// <summary>`PATCH T/id`.</summary>
    Patch,

    /// <summary>`DELETE T/id`.</summary>
    Delete,

    /// <summary>`PUT T?…`.</summary>
    ConditionalUpdate,

    /// <summary>`PATCH T?…`.</summary>
    ConditionalPatch,

    /// <summary>`DELETE T?…`.</summary>
    ConditionalDelete,

    /// <summary>`GET|POST Patient/id/$everything`.</summary>
    Everything,

    /// <summary>Batches, transactions, system-level search and history, type history, operations: the whole type or nothing.</summary>
    Unrestricted,
}
