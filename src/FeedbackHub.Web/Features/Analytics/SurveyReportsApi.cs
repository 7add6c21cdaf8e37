using System.Globalization;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.Email;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>One reason's bar in a month: churned customers, their share of the month, and the monthly revenue they took with them.</summary>
public sealed record ChurnReasonView(string Reason, int Customers, decimal? Percent, decimal RevenueLost);

/// <summary>One month of churn by reason, biggest reason first.</summary>
public sealed record ChurnReasonMonthView(string Month, DateTimeOffset Start, DateTimeOffset End, int Customers, decimal RevenueLost, IReadOnlyList<ChurnReasonView> Reasons)
{
    public static ChurnReasonMonthView Of(ChurnReasonMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        return new(month.Month.Label, month.Month.Start, month.Month.End, month.Total, month.TotalRevenueLost, [.. month.Customers
            .OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new ChurnReasonView(r.Key, r.Value, month.PercentOf(r.Key), month.RevenueLost.GetValueOrDefault(r.Key)))]);
    }
}

/// <summary>The survey funnel of a period's invitations (see <see cref="SurveyFunnel"/>).</summary>
public sealed record SurveyFunnelView(
    PeriodView Period, int Invitations, int NotSent, int Invited, int Opened, int Answered, decimal? OpenRate, decimal? ResponseRate,
    int Reminded, int AnsweredAfterReminder, IReadOnlyList<WonBackByReason> WonBackByReason, IReadOnlyList<WonBackByOffer> WonBackByOffer)
{
    public static SurveyFunnelView Of(SurveyFunnel funnel)
    {
        ArgumentNullException.ThrowIfNull(funnel);
        return new(PeriodView.Of(funnel.Period), funnel.Invitations, funnel.NotSent, funnel.Invited, funnel.Opened, funnel.Answered, funnel.OpenRate,
            funnel.ResponseRate, funnel.Reminded, funnel.AnsweredAfterReminder, funnel.ByReason, funnel.ByOffer);
    }
}

/// <summary>The period's buyers by discount share, and one page of the customers not worth a retention offer at the given threshold (judged on their whole order history).</summary>
public sealed record DiscountDependencyView(
    PeriodView Period, int Customers, IReadOnlyList<DiscountShareGroup> Distribution, decimal DiscountShareAbove, Paged<NotWorthAnOffer> NotWorthAnOffer);

/// <summary>
/// The survey and churn-reason figures of <c>/api/v1/reports/…</c>: churn by reason with revenue lost and
/// its drill-down, the survey funnel, and discount dependency (API key scope <c>read</c>, like the rest).
/// </summary>
public static class SurveyReportsApi
{
    private const string Filters = "Filters: language=en|nl, segment=subscribers|buyers, campaign={id}. Days are in the shop's time zone (Email:DefaultTimeZone).";
    private const string Period = "period=2026-10 (month) or 2026-Q3 (quarter), or from=yyyy-MM-dd&to=yyyy-MM-dd (days included); default the last full month. ";

    public static RouteGroupBuilder MapSurveyReportsApi(this RouteGroupBuilder reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        reports.MapGet("/churn-reasons", ChurnReasonsAsync)
            .WithSummary("Churned customers per month by reason (human label, else predicted, else chosen answer, else unknown), with share and revenue lost.")
            .WithDescription("last=yyyy-MM (default: the current month), months=1..36 (default 12). Revenue lost: per churned customer, the revenue of their orders "
                + "in the 360 days before churn divided by the started 30-day months of that window they were a customer (at least 1), summed and rounded to cents. "
                + Filters);
        reports.MapGet("/churn-reasons/responses", ChurnReasonResponsesAsync)
            .WithSummary("The churned customers behind one bar of /churn-reasons (one month, one reason), with their answer, 25 a page.")
            .WithDescription("month=yyyy-MM and reason (as /churn-reasons names it, unknown for no answer) are required; page=1.. (default 1). " + Filters);
        reports.MapGet("/survey-funnel", SurveyFunnelAsync)
            .WithSummary("Exit-survey funnel for the invitations created in a period: invited, opened, answered, response rate, reminders, and won back by reason and by win-back offer.")
            .WithDescription(Period + "Opened is the first showing of the survey page; won back means the churn closed after the answer; "
                + "by offer compares the offered group with its hold-out (uplift in points with a 95 % interval). " + Filters);
        reports.MapGet("/discount-dependency", DiscountDependencyAsync)
            .WithSummary("Buyers of a period by the share of their orders with a discount, and the customers a campaign would exclude from offers at their next order (flagged by support or discount-dependent).")
            .WithDescription(Period + "The period applies to the distribution; whom a campaign would exclude is judged on each customer's whole order history, as campaigns decide. "
                + "discountShareAbove=0..<1 is the campaigns' exclusion threshold (default 0.99: only bought with a discount); page=1.. (default 1, 25 a page). " + Filters);
        return reports;
    }

    public static async Task<Results<Ok<IReadOnlyList<ChurnReasonMonthView>>, ValidationProblem>> ChurnReasonsAsync(
        string? last, string? months, string? language, string? segment, string? campaign,
        ChurnReasonReport report, IOptions<EmailOptions> emailOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(emailOptions);
        var filter = ReportsApi.ParseFilter(language, segment, campaign, out var errors);
        var lastMonth = QueryParameters.Month("last", last, errors) ?? emailOptions.Value.ShopToday(time);
        var count = QueryParameters.Whole("months", months, 1, ChurnReasonReport.MaxMonths, errors) ?? 12;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var figures = await report.MonthsAsync(lastMonth, count, emailOptions.Value.ShopZone, filter, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ChurnReasonMonthView>>([.. figures.Select(ChurnReasonMonthView.Of)]);
    }

    public static async Task<Results<Ok<Paged<ChurnedCustomer>>, ValidationProblem>> ChurnReasonResponsesAsync(
        string? month, string? reason, string? page, string? language, string? segment, string? campaign,
        ChurnReasonReport report, IOptions<EmailOptions> emailOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(emailOptions);
        var filter = ReportsApi.ParseFilter(language, segment, campaign, out var errors);
        var day = QueryParameters.Month("month", month, errors);
        if (month is null)
        {
            errors["month"] = ["Give the month of the bar as yyyy-MM."];
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > SurveyLimits.ReasonKey)
        {
            errors["reason"] = [string.Create(CultureInfo.InvariantCulture, $"Give the reason of the bar (1 to {SurveyLimits.ReasonKey} characters), e.g. price or {ChurnReasonReport.Unknown}.")];
        }

        var pageNumber = QueryParameters.Whole("page", page, 1, int.MaxValue, errors) ?? 1;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var period = ReportPeriod.Month(day!.Value.Year, day.Value.Month, emailOptions.Value.ShopZone);
        return TypedResults.Ok(await report.CustomersAsync(period, reason!, filter, pageNumber, cancellationToken));
    }

    public static async Task<Results<Ok<SurveyFunnelView>, ValidationProblem>> SurveyFunnelAsync(
        string? period, string? from, string? to, string? language, string? segment, string? campaign,
        SurveyFunnelReport report, IOptions<EmailOptions> emailOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (parsed, filter, errors) = new DashboardQuery(period, from, to, language, segment, campaign).Read(emailOptions, time);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(SurveyFunnelView.Of(await report.FunnelAsync(parsed!, filter, cancellationToken)));
    }

    public static async Task<Results<Ok<DiscountDependencyView>, ValidationProblem>> DiscountDependencyAsync(
        string? period, string? from, string? to, string? language, string? segment, string? campaign, string? discountShareAbove, string? page,
        DiscountDependencyReport report, IOptions<EmailOptions> emailOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (parsed, filter, errors) = new DashboardQuery(period, from, to, language, segment, campaign).Read(emailOptions, time);
        var threshold = DiscountDependencyReport.OnlyWithDiscount;
        if (discountShareAbove is not null
            && !(decimal.TryParse(discountShareAbove, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out threshold) && threshold < 1))
        {
            errors["discountShareAbove"] = [$"'{discountShareAbove}' is not a share: give 0 up to (not including) 1, e.g. 0.5, as campaigns take it."];
        }

        var pageNumber = QueryParameters.Whole("page", page, 1, int.MaxValue, errors) ?? 1;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var distribution = await report.DistributionAsync(parsed!, filter, cancellationToken);
        var excluded = await report.NotWorthAnOfferAsync(filter, threshold, pageNumber, cancellationToken);
        return TypedResults.Ok(new DiscountDependencyView(PeriodView.Of(parsed!), distribution.Customers, distribution.Distribution, threshold, excluded));
    }
}
