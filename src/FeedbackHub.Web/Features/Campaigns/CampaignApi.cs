using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary><c>/api/v1/campaigns</c>: thank-you campaigns for automation, with the same rules as the staff page.</summary>
public static class CampaignApi
{
    public static RouteGroupBuilder MapCampaignApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var campaigns = api.MapGroup("/campaigns").RequireAuthorization(ApiKeysFeature.CampaignsPolicy).WithTags("Campaigns");
        campaigns.MapGet("", ListAsync).WithSummary("All campaigns with what each has done so far.");
        campaigns.MapGet("/{id:long}", GetAsync).WithSummary("One campaign.");
        campaigns.MapPost("", CreateAsync).WithSummary("Create a campaign as a draft; resume it to start.");
        campaigns.MapPut("/{id:long}", UpdateAsync).WithSummary("Change a campaign; customers keep their group and issued codes keep their terms.");
        campaigns.MapPost("/{id:long}/pause", (long id, HttpContext context, CampaignEditor editor, CancellationToken ct) =>
            SetStatusAsync(id, CampaignAction.Pause, context, editor, ct)).WithSummary("Pause: orders placed while paused earn nothing.");
        campaigns.MapPost("/{id:long}/resume", (long id, HttpContext context, CampaignEditor editor, CancellationToken ct) =>
            SetStatusAsync(id, CampaignAction.Resume, context, editor, ct)).WithSummary("Start a draft or resume a paused campaign.");
        campaigns.MapPost("/dry-run", DryRunAsync).WithSummary("How many customers of the last 30 days these rules would have thanked, per group.");
        campaigns.MapGet("/{id:long}/preview", PreviewAsync).WithSummary("The email of every variant and of the hold-out, in Dutch and English.");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<CampaignView>>> ListAsync(CampaignEditor editor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await editor.ListAsync(cancellationToken));

    public static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> GetAsync(long id, CampaignEditor editor, CancellationToken cancellationToken) =>
        await editor.GetAsync(id, cancellationToken) is { } campaign ? TypedResults.Ok(campaign) : NotFound(id);

    public static async Task<Results<Created<CampaignView>, ValidationProblem>> CreateAsync(
        CampaignInput campaign, HttpContext context, CampaignEditor editor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await editor.CreateAsync(Actor.From(context.User), campaign, cancellationToken);
        return result.Succeeded
            ? TypedResults.Created($"/api/v1/campaigns/{result.Value!.Id}", result.Value)
            : TypedResults.ValidationProblem(result.Errors);
    }

    public static async Task<Results<Ok<CampaignView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, CampaignInput campaign, HttpContext context, CampaignEditor editor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await editor.UpdateAsync(Actor.From(context.User), id, campaign, cancellationToken) switch
        {
            null => NotFound(id),
            { Succeeded: true } result => TypedResults.Ok(result.Value!),
            var result => TypedResults.ValidationProblem(result.Errors),
        };
    }

    public static async Task<Results<Ok<DryRunResult>, ValidationProblem>> DryRunAsync(CampaignInput campaign, CampaignEditor editor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var errors = campaign.Validate();
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(await editor.DryRunAsync(campaign, cancellationToken));
    }

    public static async Task<Results<Ok<IReadOnlyList<CampaignPreview>>, ProblemHttpResult>> PreviewAsync(long id, CampaignEditor editor, CancellationToken cancellationToken) =>
        await editor.GetAsync(id, cancellationToken) is { } campaign
            ? TypedResults.Ok(await editor.PreviewAsync(campaign.Settings, cancellationToken))
            : NotFound(id);

    private static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> SetStatusAsync(
        long id, CampaignAction action, HttpContext context, CampaignEditor editor, CancellationToken cancellationToken) =>
        await editor.SetStatusAsync(Actor.From(context.User), id, action, cancellationToken) is { } campaign ? TypedResults.Ok(campaign) : NotFound(id);

    internal static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem($"There is no campaign {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown campaign");
}
