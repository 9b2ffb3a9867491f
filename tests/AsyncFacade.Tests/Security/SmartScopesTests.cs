using AsyncFacade.Server.Security;

namespace AsyncFacade.Tests.Security;

public sealed class SmartScopesTests
{
    [Theory]
    [InlineData("system/Patient.read", "Patient", true, false)]
    [InlineData("system/Patient.read", "Observation", false, false)]
    [InlineData("system/*.read", "Observation", true, false)]
    [InlineData("system/*.write", "Observation", false, true)]
    [InlineData("system/*.*", "Encounter", true, true)]
    [InlineData("system/Observation.rs", "Observation", true, false)]
    [InlineData("system/Observation.s", "Observation", true, false)]
    [InlineData("system/*.cud", "Condition", false, true)]
    [InlineData("system/*.cruds", "Condition", true, true)]
    [InlineData("user/Patient.read patient/Observation.rs", "Observation", true, false)]
    [InlineData("openid fhirUser launch", "Patient", false, false)]
    [InlineData("system/Patient.bogus", "Patient", false, false)]
    [InlineData("", "Patient", false, false)]
    public void Scopes_grant_read_and_write_per_type(string scope, string type, bool read, bool write)
    {
        var scopes = SmartScopes.Parse(scope);

        Assert.Equal(read, scopes.CanRead(type));
        Assert.Equal(write, scopes.CanWrite(type));
    }
}
