namespace AsyncFacade.Tests.Infrastructure;

/// <summary>The Azurite blob service test.sh starts (account devstoreaccount1): never an in-process fake.</summary>
public static class TestAzurite
{
    public const string EnvironmentVariable = "ASYNCFACADE_TEST_AZURITE";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run the tests with ./test.sh, which starts Azurite and sets it to its connection string.");

    /// <summary>A container name no other test run uses.</summary>
    public static string NewContainer(string purpose) => $"{purpose}-{Guid.NewGuid():N}"[..Math.Min(63, purpose.Length + 33)];
}
