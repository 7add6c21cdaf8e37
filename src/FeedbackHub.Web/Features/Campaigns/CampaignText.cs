using System.Globalization;
using FeedbackHub.Data.Campaigns;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>How campaign settings read on the staff pages (English, like the rest of the staff interface).</summary>
public static class CampaignText
{
    public static string Discount(DiscountKind kind, decimal value, string currency) =>
        ThankYouRules.FormatDiscount(kind, value, currency, Data.Customers.CustomerLocales.English);

    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Money(decimal value, string currency) =>
        ThankYouRules.FormatMoney(value, currency, Data.Customers.CustomerLocales.English);

    public static string Qualifying(QualifyingOrders qualifying, int? everyNth) => qualifying switch
    {
        QualifyingOrders.FirstOrder => "First order",
        QualifyingOrders.EveryOrder => "Every order",
        _ => string.Create(CultureInfo.InvariantCulture, $"Every {everyNth}{Ordinal(everyNth ?? 0)} order"),
    };

    public static string Period(DateTimeOffset? start, DateTimeOffset? end) =>
        $"{(start is { } s ? StaffTimes.Format(s) : "—")} → {(end is { } e ? StaffTimes.Format(e) : "no end")}";

    private static string Ordinal(int n) => (n % 100, n % 10) switch
    {
        (11 or 12 or 13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
}
