using AsyncFacade.Server.Security.Scopes;

namespace AsyncFacade.Tests.Security;

public sealed class SmartScopesTests
{
    private const ScopePermissions Rs = ScopePermissions.ReadAndSearch;

    [Theory]
    [InlineData("system/Patient.read", "Patient", true, false)]
    [InlineData("system/Patient.read", "Observation", false, false)]
    [InlineData("system/*.read", "Observation", true, false)]
    [InlineData("system/*.write", "Observation", false, true)]
    [InlineData("system/*.*", "Encounter", true, true)]
    [InlineData("system/Observation.rs", "Observation", true, false)]
    [InlineData("system/Observation.s", "Observation", false, false)]
    [InlineData("system/Observation.r system/Observation.s", "Observation", true, false)]
    [InlineData("system/*.cud", "Condition", false, true)]
    [InlineData("system/*.cruds", "Condition", true, true)]
    [InlineData("openid fhirUser launch", "Patient", false, false)]
    [InlineData("system/Patient.bogus", "Patient", false, false)]
    [InlineData("system/Patient.sr", "Patient", false, false)]
    [InlineData("system/Patient.rr", "Patient", false, false)]
    [InlineData("system/Nonsense.read", "Nonsense", false, false)]
    [InlineData("", "Patient", false, false)]
    public void System_scopes_grant_whole_types_in_v1_and_v2(string scope, string type, bool read, bool write)
    {
        var scopes = SmartScopes.Parse(scope);

        Assert.Equal(read, scopes.Check(type, Rs).IsUnrestricted);
        Assert.Equal(write, scopes.Check(type, ScopePermissions.Write).IsUnrestricted);
    }

    [Theory]
    [InlineData("patient/Observation.rs", null, null)]
    [InlineData("patient/*.read", null, "Practitioner/7")]
    [InlineData("user/Observation.rs", null, null)]
    public void Patient_and_user_scopes_grant_nothing_without_their_context(string scope, string? patient, string? fhirUser)
    {
        var decision = SmartScopes.Parse(scope, patient, fhirUser).Check("Observation", Rs);

        Assert.False(decision.Allowed);
    }

    [Theory]
    [InlineData("patient/Observation.rs", "p1", null, "p1")]
    [InlineData("patient/Observation.read", null, "Patient/p2", "p2")]
    [InlineData("patient/Observation.read", null, "https://ehr.example/fhir/Patient/p3", "p3")]
    [InlineData("user/Observation.rs", null, "Patient/p4", "p4")]
    public void Patient_context_limits_access_to_the_patients_compartment(string scope, string? patient, string? fhirUser, string expected)
    {
        var decision = SmartScopes.Parse(scope, patient, fhirUser).Check("Observation", Rs);

        Assert.True(decision.Allowed);
        Assert.Equal([new AccessRestriction(expected, null)], decision.Restrictions);
    }

    [Fact]
    public void A_practitioner_users_scopes_grant_the_type_for_interactions_but_not_for_bulk_data()
    {
        var scopes = SmartScopes.Parse("user/Observation.rs", fhirUser: "Practitioner/9");

        Assert.True(scopes.Check("Observation", Rs).IsUnrestricted);
        Assert.False(scopes.Check("Observation", Rs, bulk: true).Allowed);
    }

    [Fact]
    public void A_v2_filter_is_a_restriction_and_a_system_scope_without_one_lifts_it()
    {
        var filtered = SmartScopes.Parse("system/Observation.rs?category=laboratory");
        var both = SmartScopes.Parse("system/Observation.rs?category=laboratory system/Observation.rs");

        Assert.Equal([new AccessRestriction(null, "category=laboratory")], filtered.Check("Observation", Rs).Restrictions);
        Assert.True(both.Check("Observation", Rs).IsUnrestricted);
    }

    [Fact]
    public void Several_filters_are_alternatives_and_permissions_granted_under_different_filters_do_not_combine()
    {
        var alternatives = SmartScopes.Parse("system/Observation.rs?category=laboratory system/Observation.rs?category=vital-signs");
        var split = SmartScopes.Parse("system/Observation.r?category=laboratory system/Observation.s?category=vital-signs");

        Assert.Equal(2, alternatives.Check("Observation", Rs).Restrictions.Count);
        Assert.False(split.Check("Observation", Rs).Allowed);
    }

    [Theory]
    [InlineData("system/Observation.rs?_include=Observation:subject")]
    [InlineData("system/Observation.rs?_count=1")]
    [InlineData("system/Observation.rs?category")]
    [InlineData("system/Observation.read?category=laboratory")]
    public void A_filter_that_cannot_be_enforced_grants_nothing_rather_than_the_whole_type(string scope)
    {
        Assert.False(SmartScopes.Parse(scope).Check("Observation", Rs).Allowed);
    }

    [Fact]
    public void A_refusal_names_the_missing_scope_at_the_tokens_level()
    {
        Assert.Equal("system/Condition.rs", SmartScopes.Parse("system/Observation.rs").Check("Condition", Rs).MissingScope);
        Assert.Equal("patient/Condition.rs", SmartScopes.Parse("patient/Observation.rs", "p1").Check("Condition", Rs).MissingScope);
    }

    [Fact]
    public void A_patient_scoped_token_is_one_without_system_scopes_and_with_a_patient()
    {
        Assert.True(SmartScopes.Parse("patient/*.rs", "p1").IsPatientScoped);
        Assert.False(SmartScopes.Parse("patient/*.rs system/Group.rs", "p1").IsPatientScoped);
        Assert.False(SmartScopes.Parse("system/*.rs").IsPatientScoped);
    }
}
