using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Email;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary><c>/api/v1/reports/campaigns</c>: the campaign figures of <see cref="CampaignReport"/>, with the same period and filters as <c>/retention</c>.</summary>
public static class CampaignReportsApi
{
    private const string Parameters =
        "Customers count in the period of their anchor order (their first order the campaign decided on, other than excluded): "
        + "period=2026-10 (month) or 2026-Q3 (quarter), or from=yyyy-MM-dd&to=yyyy-MM-dd (days included); default the last full month. "
        + "Filters: language=en|nl, segment=subscribers|buyers, campaign={id} (customers also in that campaign). "
        + "Repeat purchases within 30, 60 and 90 days count matured customers only (anchor at least that long before asOf); "
        + "money is in the campaign's currency, rounded to cents; incremental margin uses the setting Analytics:GrossMarginPercent.";

    /// <summary>Maps the endpoints on the reports group (scope <c>read</c>).</summary>
    public static RouteGroupBuilder MapCampaignReportsApi(this RouteGroupBuilder reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        reports.MapGet("/campaigns", CampaignsAsync)
            .WithSummary("Every campaign's headline figures: codes issued and redeemed, repeat purchases in 30/60/90 days for all variants and the hold-out, "
                + "uplift with its 95 % interval, incremental revenue and margin, cost per retained customer.")
            .WithDescription(Parameters);
        reports.MapGet("/campaigns/{id:long}", CampaignAsync)
            .WithSummary("One campaign's table: the same figures for each variant against the hold-out, all variants together, and the hold-out.")
            .WithDescription(Parameters + " An unknown campaign is 404.");
        return reports;
    }

    public static async Task<Results<Ok<CampaignOverview>, ValidationProblem>> CampaignsAsync(
        string? period, string? from, string? to, string? language, string? segment, string? campaign,
        CampaignReport report, IOptions<EmailOptions> emailOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = new DashboardQuery(period, from, to, language, segment, campaign).Resolve(emailOptions, time);
        return query.Succeeded
            ? TypedResults.Ok(await report.CampaignsAsync(query.Value!.Period, query.Value.Filter, cancellationToken))
            : TypedResults.ValidationProblem(query.Errors);
    }

    public static async Task<Results<Ok<CampaignDetail>, ProblemHttpResult, ValidationProblem>> CampaignAsync(
        long id, string? period, string? from, string? to, string? language, string? segment, string? campaign,
        CampaignReport report, IOptions<EmailOptions> emailOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = new DashboardQuery(period, from, to, language, segment, campaign).Resolve(emailOptions, time);
        if (!query.Succeeded)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        return await report.CampaignAsync(id, query.Value!.Period, query.Value.Filter, cancellationToken) is { } detail
            ? TypedResults.Ok(detail)
            : CampaignApi.NotFound(id);
    }
}
