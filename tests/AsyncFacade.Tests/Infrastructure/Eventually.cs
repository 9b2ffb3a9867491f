namespace AsyncFacade.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline, polling briefly: never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "the condition"}; last value: {value}");
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
