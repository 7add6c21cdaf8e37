using System.Globalization;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>How every figure states a share: percent with one decimal, half away from zero.</summary>
public static class Percentages
{
    /// <summary>Null when <paramref name="whole"/> is zero: there is nothing to take a share of, and 0 % would be a lie.</summary>
    public static decimal? Of(int part, int whole) => whole == 0 ? null : Math.Round(part * 100m / whole, 1, MidpointRounding.AwayFromZero);
}

/// <summary>
/// Customer retention over a period, with the three counts beside it so anyone can check it by hand:
/// retention = (customers at end − new customers) ÷ customers at start × 100; churn = 100 − retention,
/// i.e. the share of the starting customers who were lost.
/// </summary>
public sealed record RetentionFigure(int AtStart, int New, int AtEnd)
{
    /// <summary>Null when nobody was a customer at the start: there is nothing to retain, and 0 % would be a lie.</summary>
    public decimal? RetentionPercent => Percentages.Of(AtEnd - New, AtStart);

    public decimal? ChurnPercent => RetentionPercent is { } retention ? 100m - retention : null;

    /// <summary>Customers from the start who were not customers at the end.</summary>
    public int Lost => AtStart + New - AtEnd;
}

/// <summary>
/// The difference between two proportions (a variant's repeat-purchase rate against the hold-out's),
/// in percentage points, with a 95 % confidence interval from the normal approximation (Wald, unpooled).
/// </summary>
public sealed record Uplift(double Points, double Low, double High)
{
    /// <summary>1.96: the two-sided 95 % quantile of the standard normal distribution.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>True while the interval still contains zero: the data cannot yet tell the variant from the hold-out.</summary>
    public bool Significant => Low > 0 || High < 0;

    /// <summary>Null when either group is empty (no rate to compare).</summary>
    public static Uplift? Between(int treated, int treatedSuccesses, int control, int controlSuccesses)
    {
        if (treated <= 0 || control <= 0)
        {
            return null;
        }

        var (p1, p2) = ((double)treatedSuccesses / treated, (double)controlSuccesses / control);
        var standardError = Math.Sqrt(p1 * (1 - p1) / treated + p2 * (1 - p2) / control);
        var difference = (p1 - p2) * 100;
        var margin = Z95 * standardError * 100;
        return new Uplift(difference, difference - margin, difference + margin);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Points:+0.0;-0.0;0.0} points (95 % interval {Low:0.0} to {High:0.0}){(Significant ? "" : ", not significant yet")}");
}
