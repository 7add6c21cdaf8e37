using FeedbackHub.Data;
using FeedbackHub.Web.Features.Api;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Security;
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
        string code, decimal? orderTotal, HttpContext context, DiscountCodes codes, CodeGuessLimiter guesses, CancellationToken cancellationToken) =>
        await LimitedAsync(context, guesses, () => codes.CheckAsync(code, orderTotal, cancellationToken));

    public static async Task<Results<Ok<CodeDetails>, ProblemHttpResult, ValidationProblem>> RedeemAsync(
        string code, RedeemRequest request, HttpContext context, DiscountCodes codes, CodeGuessLimiter guesses, CancellationToken cancellationToken)
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

        return (await LimitedAsync(context, guesses, () => codes.RedeemAsync(code, request.OrderId!.Trim(), request.OrderTotal!.Value, cancellationToken))).Result switch
        {
            Ok<CodeDetails> ok => ok,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("Unexpected answer."),
        };
    }

    /// <summary>Answers 429 to a caller who asked about too many unknown codes lately; counts each unknown code it answers.</summary>
    private static async Task<Results<Ok<CodeDetails>, ProblemHttpResult>> LimitedAsync(HttpContext context, CodeGuessLimiter guesses, Func<Task<CodeCheck>> lookUp)
    {
        var partition = ApiFeature.CallerPartition(context);
        if (guesses.IsBlocked(partition))
        {
            var seconds = RateLimits.SetRetryAfter(context.Response, GuessLimiter.Step);
            return Problem(StatusCodes.Status429TooManyRequests, "too-many-unknown-codes", "Too many unknown codes",
                $"This API key asked about too many unknown codes in the last minute; retry after {seconds} seconds.");
        }

        var check = await lookUp();
        if (check.Problem == CodeProblem.Unknown)
        {
            guesses.CountMiss(partition);
        }

        return Answer(check);
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
