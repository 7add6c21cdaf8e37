using System.Globalization;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>The reports API's own query parameters beside the period and filters: each wrong one is named in the errors.</summary>
public static class QueryParameters
{
    /// <summary>The first day of a month given as yyyy-MM; null (and an error) when it is not one, null alone when absent.</summary>
    public static DateOnly? Month(string field, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 2100)
        {
            return day;
        }

        errors[field] = [$"'{text}' is not a month: use yyyy-MM, e.g. 2026-10."];
        return null;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; null (and an error) when it is not one, null alone when absent.</summary>
    public static int? Whole(string field, string? text, int min, int max, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[field] = [max == int.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"{field} is a whole number from {min}.")
            : string.Create(CultureInfo.InvariantCulture, $"{field} is {min} to {max}.")];
        return null;
    }
}
