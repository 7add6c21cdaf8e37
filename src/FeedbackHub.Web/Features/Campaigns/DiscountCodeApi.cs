using FeedbackHub.Data;
using FeedbackHub.Web.Features.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FeedbackHub.Web.Features.Campaigns;

public sealed record RedeemRequest(string? OrderId, decimal? OrderTotal);

/// <summary><c>/api/v1/discount-codes</c>: what a shop's checkout asks before and when it applies a code.</summary>
public static class DiscountCodeApi
{
    public static RouteGroupBuilder MapDiscountCodeApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var codes = api.MapGroup("/discount-codes").RequireAuthorization(ApiKeysFeature.IngestPolicy).WithTags("Discount codes");
        codes.MapGet("/{code}", CheckAsync)
            .WithSummary("Check a code without using it; pass orderTotal to check the minimum order value too.");
        codes.MapPost("/{code}/redeem", RedeemAsync)
            .WithSummary("Use a code for an order; of concurrent attempts exactly one succeeds.");
        return api;
    }

    public static async Task<Results<Ok<CodeDetails>, ProblemHttpResult>> CheckAsync(
        string code, decimal? orderTotal, DiscountCodes codes, CancellationToken cancellationToken) =>
        Answer(await codes.CheckAsync(code, orderTotal, cancellationToken));

    public static async Task<Results<Ok<CodeDetails>, ProblemHttpResult, ValidationProblem>> RedeemAsync(
        string code, RedeemRequest request, DiscountCodes codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.OrderId) || request.OrderId.Length > FieldLengths.ExternalId)
        {
            errors["orderId"] = [$"Give the shop's order id (1 to {FieldLengths.ExternalId} characters)."];
        }

        if (request.OrderTotal is not { } total || total < 0)
        {
            errors["orderTotal"] = ["Give the order total (0 or more), so the minimum order value can be checked."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return Answer(await codes.RedeemAsync(code, request.OrderId!.Trim(), request.OrderTotal!.Value, cancellationToken)).Result switch
        {
            Ok<CodeDetails> ok => ok,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("Unexpected answer."),
        };
    }

    /// <summary>200 with the code's details, or a problem whose type says exactly what is wrong.</summary>
    private static Results<Ok<CodeDetails>, ProblemHttpResult> Answer(CodeCheck check) => check.Problem switch
    {
        CodeProblem.None => TypedResults.Ok(check.Details!),
        CodeProblem.Unknown => Problem(StatusCodes.Status404NotFound, "unknown-code", "Unknown code", check.Message),
        CodeProblem.Expired => Problem(StatusCodes.Status410Gone, "expired-code", "Code expired", check.Message),
        CodeProblem.AlreadyUsed => Problem(StatusCodes.Status409Conflict, "code-already-used", "Code already used", check.Message),
        _ => Problem(StatusCodes.Status422UnprocessableEntity, "below-minimum", "Order below the code's minimum", check.Message),
    };

    private static ProblemHttpResult Problem(int status, string type, string title, string? detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: $"https://feedbackhub.local/problems/{type}");
}
