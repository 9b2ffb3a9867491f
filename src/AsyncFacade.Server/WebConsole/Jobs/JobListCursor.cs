using System.Globalization;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.WebConsole.Jobs;

/// <summary>The `before` parameter of the job list: `{created, in UTC ticks}_{id}`, opaque to the page, checked on the way in.</summary>
internal static class JobListCursor
{
    public static string Format(JobCursor cursor) =>
        cursor.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "_" + cursor.Id;

    public static bool TryParse(string text, out JobCursor? cursor)
    {
        cursor = null;
        var parts = text.Split('_', 2);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || !Storage.OutputKey.IsValid(parts[1]) || parts[1].Contains('/'))
        {
            return false;
        }
        cursor = new JobCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1]);
        return true;
    }
}
