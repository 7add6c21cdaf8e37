using System.Globalization;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;

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

        if (campaign.ExcludeDiscountShareAbove is { } threshold && history.Earlier > 0 && history.DiscountShare > threshold)
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
}
