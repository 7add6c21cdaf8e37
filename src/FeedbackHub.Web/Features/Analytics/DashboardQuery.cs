using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Email;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>A period and customer filter that were read without a mistake.</summary>
public sealed record ResolvedQuery(ReportPeriod Period, CustomerFilter Filter)
{
    /// <summary>The months the dashboards' trend charts show: <see cref="TrendMonths"/> months ending with the period's last month.</summary>
    public MonthBuckets TrendBuckets(TimeZoneInfo zone) => MonthBuckets.Ending(Period.LastDay, TrendMonths, zone);

    public const int TrendMonths = 12;
}

/// <summary>
/// What a dashboard page or a reports API call asks for, as the query-string words both take
/// (<c>period</c> or <c>from</c>/<c>to</c>, <c>language</c>, <c>segment</c>, <c>campaign</c>, and <c>q</c> for the customer search). Pages keep
/// it in their address, so a view can be bookmarked and its CSV export asks for exactly what is shown.
/// </summary>
public sealed record DashboardQuery(string? Period = null, string? From = null, string? To = null, string? Language = null, string? Segment = null, string? Campaign = null, string? Search = null)
{
    /// <summary>The period and filter, or every mistake by parameter name.</summary>
    public ValidatedResult<ResolvedQuery> Resolve(DateOnly today, TimeZoneInfo zone)
    {
        var (period, filter, errors) = Read(today, zone);
        return errors.Count > 0 ? ValidatedResult.Invalid<ResolvedQuery>(errors) : ValidatedResult.Ok(new ResolvedQuery(period!, filter));
    }

    /// <summary>The period and filter for the shop's today and time zone, or every mistake by parameter name.</summary>
    public ValidatedResult<ResolvedQuery> Resolve(IOptions<EmailOptions> shop, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return Resolve(shop.Value.ShopToday(time), shop.Value.ShopZone);
    }

    /// <summary>
    /// The period (null when it is wrong) and the filter as far as they read, with every mistake by parameter
    /// name so far: for an API call that checks parameters of its own before it answers.
    /// </summary>
    public (ReportPeriod? Period, CustomerFilter Filter, Dictionary<string, string[]> Errors) Read(IOptions<EmailOptions> shop, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return Read(shop.Value.ShopToday(time), shop.Value.ShopZone);
    }

    private (ReportPeriod? Period, CustomerFilter Filter, Dictionary<string, string[]> Errors) Read(DateOnly today, TimeZoneInfo zone)
    {
        var period = ReportPeriod.Parse(Period, From, To, today, zone);
        var filter = ReportsApi.ParseFilter(Language, Segment, Campaign, out var errors);
        foreach (var (field, messages) in period.Errors)
        {
            errors[field] = messages;
        }

        return (period.Value, filter, errors);
    }

    /// <summary>"?period=2026-10&amp;language=nl", or empty without any parameter; values are URL-encoded.</summary>
    public string ToQueryString()
    {
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["period"] = Period,
            ["from"] = From,
            ["to"] = To,
            ["language"] = Language,
            ["segment"] = Segment,
            ["campaign"] = Campaign,
            ["q"] = Search,
        };
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value));
        return present.Any() ? QueryHelpers.AddQueryString("", present) : "";
    }
}
