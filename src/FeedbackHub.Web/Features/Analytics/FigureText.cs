using System.Globalization;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>How the dashboards write a figure: "1,234", "75.0 %", "1,234.50", and "–" where there is none.</summary>
public static class FigureText
{
    public const string None = "–";

    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(decimal? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " %" : None;

    public static string Money(decimal? value) => value is { } v ? v.ToString("N2", CultureInfo.InvariantCulture) : None;
}
