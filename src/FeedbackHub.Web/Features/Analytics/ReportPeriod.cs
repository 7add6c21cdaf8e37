using System.Globalization;
using System.Text.RegularExpressions;
using FeedbackHub.Web.Features.Campaigns;

namespace FeedbackHub.Web.Features.Analytics;

public enum PeriodKind
{
    Month,
    Quarter,

    /// <summary>Any run of whole days.</summary>
    Custom,
}

/// <summary>
/// A reporting period: whole days in the shop's time zone, as the half-open UTC range [Start, End) the
/// queries use. A month in Amsterdam starts at 22:00 or 23:00 UTC the evening before, so an order at
/// 23:30 on the last evening of a month counts in the next month, as the shop sees it.
/// </summary>
public sealed partial record ReportPeriod(PeriodKind Kind, DateOnly FirstDay, DateOnly LastDay, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The longest custom range: five years keeps every query bounded.</summary>
    public const int MaxDays = 5 * 366;

    /// <summary>"2026-10", "2026-Q3", or "2026-01-15..2026-03-31".</summary>
    public string Label => Kind switch
    {
        PeriodKind.Month => FirstDay.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{FirstDay.Year}-Q{(FirstDay.Month - 1) / 3 + 1}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{FirstDay:yyyy-MM-dd}..{LastDay:yyyy-MM-dd}"),
    };

    public static ReportPeriod Month(int year, int month, TimeZoneInfo zone)
    {
        var first = new DateOnly(year, month, 1);
        return Of(PeriodKind.Month, first, first.AddMonths(1).AddDays(-1), zone);
    }

    public static ReportPeriod Quarter(int year, int quarter, TimeZoneInfo zone)
    {
        var first = new DateOnly(year, (quarter - 1) * 3 + 1, 1);
        return Of(PeriodKind.Quarter, first, first.AddMonths(3).AddDays(-1), zone);
    }

    public static ReportPeriod Custom(DateOnly firstDay, DateOnly lastDay, TimeZoneInfo zone) => Of(PeriodKind.Custom, firstDay, lastDay, zone);

    /// <summary>The period of the same kind and length just before this one, for trends.</summary>
    public ReportPeriod Previous(TimeZoneInfo zone) => Kind switch
    {
        PeriodKind.Month => Month(FirstDay.AddMonths(-1).Year, FirstDay.AddMonths(-1).Month, zone),
        PeriodKind.Quarter => Quarter(FirstDay.AddMonths(-3).Year, (FirstDay.AddMonths(-3).Month - 1) / 3 + 1, zone),
        _ => Custom(FirstDay.AddDays(-Days), FirstDay.AddDays(-1), zone),
    };

    public int Days => LastDay.DayNumber - FirstDay.DayNumber + 1;

    /// <summary>
    /// Reads a period as the reports API and the pages take it: <c>period=2026-10</c> (a month),
    /// <c>period=2026-Q3</c> (a quarter), or <c>from=2026-01-15&amp;to=2026-03-31</c> (whole days, both
    /// included). Without any, the last full month before <paramref name="today"/>.
    /// </summary>
    public static ValidatedResult<ReportPeriod> Parse(string? period, string? from, string? to, DateOnly today, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(period))
        {
            if (from is not null || to is not null)
            {
                errors["period"] = ["Give either period or from and to, not both."];
            }
            else if (MonthPattern().Match(period) is { Success: true } month && int.Parse(month.Groups[2].Value, CultureInfo.InvariantCulture) is >= 1 and <= 12 and var m)
            {
                return Checked(Month(int.Parse(month.Groups[1].Value, CultureInfo.InvariantCulture), m, zone));
            }
            else if (QuarterPattern().Match(period) is { Success: true } quarter)
            {
                return Checked(Quarter(int.Parse(quarter.Groups[1].Value, CultureInfo.InvariantCulture), quarter.Groups[2].Value[0] - '0', zone));
            }
            else
            {
                errors["period"] = [$"'{period}' is not a period: use a month such as 2026-10 or a quarter such as 2026-Q3."];
            }

            return ValidatedResult.Invalid<ReportPeriod>(errors);
        }

        if (from is null && to is null)
        {
            var lastMonth = today.AddMonths(-1);
            return Checked(Month(lastMonth.Year, lastMonth.Month, zone));
        }

        var first = Day("from", from);
        var last = Day("to", to);
        if (first is { } f && last is { } l)
        {
            if (l < f)
            {
                errors["to"] = ["The last day comes before the first day."];
            }
            else if (l.DayNumber - f.DayNumber + 1 > MaxDays)
            {
                errors["to"] = [string.Create(CultureInfo.InvariantCulture, $"A range is at most {MaxDays:N0} days.")];
            }
        }

        return errors.Count > 0 ? ValidatedResult.Invalid<ReportPeriod>(errors) : Checked(Custom(first!.Value, last!.Value, zone));

        DateOnly? Day(string field, string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                errors[field] = [$"Give {field} as well, as yyyy-MM-dd."];
                return null;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                errors[field] = [$"'{text}' is not a date: use yyyy-MM-dd."];
                return null;
            }

            return day;
        }

        static ValidatedResult<ReportPeriod> Checked(ReportPeriod value) =>
            value.FirstDay.Year is >= 2000 and <= 2100
                ? ValidatedResult.Ok(value)
                : ValidatedResult.Invalid<ReportPeriod>(new() { ["period"] = ["Periods lie between the years 2000 and 2100."] });
    }

    private static ReportPeriod Of(PeriodKind kind, DateOnly first, DateOnly last, TimeZoneInfo zone) =>
        new(kind, first, last, ThankYouRules.StartOfDay(first, zone), ThankYouRules.StartOfDay(last.AddDays(1), zone));

    [GeneratedRegex(@"^(\d{4})-(\d{2})$")]
    private static partial Regex MonthPattern();

    [GeneratedRegex(@"^(\d{4})-Q([1-4])$", RegexOptions.IgnoreCase)]
    private static partial Regex QuarterPattern();
}
