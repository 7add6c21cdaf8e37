using System.Globalization;

namespace FeedbackHub.Web.Features;

/// <summary>How staff pages show a moment: to the minute, in UTC, and saying so.</summary>
public static class StaffTimes
{
    public static string Format(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
