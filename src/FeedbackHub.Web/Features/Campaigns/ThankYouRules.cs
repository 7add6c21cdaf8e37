using System.Globalization;
using System.Linq.Expressions;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using Microsoft.EntityFrameworkCore.Query;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>What a customer's order history says about one order: its place in the history and how often a discount was used before.</summary>
/// <param name="Ordinal">1 for the customer's first order, 2 for the second, … (by time placed).</param>
/// <param name="EarlierWithDiscount">How many of the <c>Ordinal − 1</c> earlier orders carried a discount code.</param>
public readonly record struct OrderHistory(int Ordinal, int EarlierWithDiscount)
{
    public int Earlier => Ordinal - 1;

    /// <summary>Share of earlier orders bought with a discount; 0 without earlier orders.</summary>
    public decimal DiscountShare => Earlier == 0 ? 0 : (decimal)EarlierWithDiscount / Earlier;
}

public enum ExclusionRule
{
    FlaggedBySupport,
    DiscountDependent,
}

/// <summary>The rule that kept a customer out, and the reason in words staff read.</summary>
public sealed record Exclusion(ExclusionRule Rule, string Reason);

/// <summary>The campaign rules for one order, without a database: when a campaign runs, which orders qualify, who is excluded.</summary>
public static class ThankYouRules
{
    /// <summary>Discount shares are compared in whole ten-thousandths: the precision a threshold is stored with.</summary>
    public const long ShareScale = 10_000;

    /// <summary>
    /// The discount-dependency rule: more than the threshold (in ten-thousandths) of the earlier orders
    /// carried a discount. An expression, so that a report filters the database by the very rule that
    /// <see cref="Exclude"/> applies; integer arithmetic, so both databases and C# agree to the last order.
    /// </summary>
    public static Expression<Func<int, int, long, bool>> DiscountDependent { get; } =
        (earlier, earlierWithDiscount, threshold) => earlier > 0 && earlierWithDiscount * ShareScale > threshold * earlier;

    private static readonly Func<int, int, long, bool> IsDiscountDependent = DiscountDependent.Compile();

    /// <summary>A threshold share (0–1) in the ten-thousandths <see cref="DiscountDependent"/> compares.</summary>
    public static long InShareScale(decimal threshold) => (long)decimal.Round(threshold * ShareScale, MidpointRounding.ToEven);

    /// <summary>
    /// <see cref="Exclude"/> as a filter over rows that carry a customer's support flag and the counts of
    /// their earlier orders, for reports that list whom a campaign with these settings keeps out. The
    /// threshold reaches the database as a parameter.
    /// </summary>
    public static Expression<Func<TRow, bool>> ExcludedWhere<TRow>(
        Campaign campaign, Expression<Func<TRow, bool>> flaggedBySupport, Expression<Func<TRow, int>> earlier, Expression<Func<TRow, int>> earlierWithDiscount)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(flaggedBySupport);
        var row = flaggedBySupport.Parameters[0];
        Expression flagged = campaign.ExcludeFlaggedCustomers ? flaggedBySupport.Body : Expression.Constant(false);
        Expression dependent = campaign.ExcludeDiscountShareAbove is { } threshold
            ? new ReplacingExpressionVisitor(
                [.. DiscountDependent.Parameters],
                [Body(earlier), Body(earlierWithDiscount), Expression.Property(Expression.Constant(new Threshold(InShareScale(threshold))), nameof(Threshold.Value))])
                .Visit(DiscountDependent.Body)
            : Expression.Constant(false);
        return Expression.Lambda<Func<TRow, bool>>(Expression.OrElse(flagged, dependent), row);

        Expression Body(Expression<Func<TRow, int>> count)
        {
            ArgumentNullException.ThrowIfNull(count);
            return ReplacingExpressionVisitor.Replace(count.Parameters[0], row, count.Body);
        }
    }

    /// <summary>True when the campaign is active and the order falls between its start and end.</summary>
    public static bool Runs(Campaign campaign, DateTimeOffset placedAt)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return campaign.Status == CampaignStatus.Active && placedAt >= campaign.StartsAt && (campaign.EndsAt is null || placedAt < campaign.EndsAt);
    }

    /// <summary>True when the order's place in the customer's history earns a thank-you.</summary>
    public static bool Qualifies(Campaign campaign, OrderHistory history)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return campaign.Qualifying switch
        {
            QualifyingOrders.FirstOrder => history.Ordinal == 1,
            QualifyingOrders.EveryOrder => true,
            _ => campaign.EveryNth is >= 2 and var n && history.Ordinal % n == 0,
        };
    }

    /// <summary>Why the customer gets nothing from this campaign; null when they are not excluded.</summary>
    public static Exclusion? Exclude(Campaign campaign, bool flaggedBySupport, OrderHistory history)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        if (campaign.ExcludeFlaggedCustomers && flaggedBySupport)
        {
            return new(ExclusionRule.FlaggedBySupport, "flagged by support");
        }

        if (campaign.ExcludeDiscountShareAbove is { } threshold && IsDiscountDependent(history.Earlier, history.EarlierWithDiscount, InShareScale(threshold)))
        {
            return new(ExclusionRule.DiscountDependent, string.Create(CultureInfo.InvariantCulture,
                $"discount-dependent: {history.EarlierWithDiscount} of {history.Earlier} earlier orders with a discount (above {threshold:P0})"));
        }

        return null;
    }

    /// <summary>The discount in the customer's language: "10%", "€5.00" or "€ 5,00".</summary>
    public static string FormatDiscount(DiscountKind kind, decimal value, string currency, string language) => kind == DiscountKind.Percentage
        ? value.ToString("0.##", CultureFor(language)) + "%"
        : FormatMoney(value, currency, language);

    public static string FormatMoney(decimal value, string currency, string language)
    {
        var culture = CultureFor(language);
        var symbol = currency switch
        {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            _ => currency + " ",
        };
        var amount = value.ToString("N2", culture);
        return language == CustomerLocales.Dutch ? $"{symbol.TrimEnd()} {amount}" : symbol + amount;
    }

    /// <summary>A date as the customer reads it, in their own time zone: "31 December 2026" or "31 december 2026".</summary>
    public static string FormatDate(DateTimeOffset at, TimeZoneInfo zone, string language) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("d MMMM yyyy", CultureFor(language));

    /// <summary>
    /// The last day something that ends at <paramref name="endsAt"/> (the start of the next day) still
    /// works, as the customer counts days: "valid until 31 December" holds all of that day.
    /// </summary>
    public static string FormatLastDay(DateTimeOffset endsAt, TimeZoneInfo zone, string language) =>
        FormatDate(endsAt.AddTicks(-1), zone, language);

    /// <summary>The moment a day begins in a zone (a midnight skipped by daylight saving begins an hour later).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddHours(1);
        }

        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
    }

    /// <summary>How numbers and dates are written for a customer in this language.</summary>
    public static CultureInfo CultureFor(string language) =>
        CultureInfo.GetCultureInfo(language == CustomerLocales.Dutch ? "nl-NL" : "en-GB");

    // A closure member, so the threshold reaches the SQL as a parameter rather than as a literal.
    private sealed record Threshold(long Value);
}
