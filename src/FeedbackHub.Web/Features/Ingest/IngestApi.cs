using FeedbackHub.Web.Features.Api;
using FeedbackHub.Web.Features.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FeedbackHub.Web.Features.Ingest;

/// <summary>The answer for one item: its key, <c>inserted</c> / <c>updated</c> / <c>unchanged</c> / <c>rejected</c>, and why.</summary>
public sealed record IngestItemResponse(int Index, string? Key, string Status, IReadOnlyList<FieldError> Errors)
{
    internal static IngestItemResponse From(IngestItemResult result) =>
        new(result.Index, result.Key, result.Outcome.ToString().ToLowerInvariant(), result.Errors);
}

/// <summary>A batch: up to 1,000 items, each answered on its own.</summary>
public sealed record BatchRequest<T>(IReadOnlyList<T>? Items);

public sealed record BatchResponse(int Inserted, int Updated, int Unchanged, int Rejected, IReadOnlyList<IngestItemResponse> Items)
{
    internal static BatchResponse From(IReadOnlyList<IngestItemResult> results) => new(
        results.Count(r => r.Outcome == IngestOutcome.Inserted),
        results.Count(r => r.Outcome == IngestOutcome.Updated),
        results.Count(r => r.Outcome == IngestOutcome.Unchanged),
        results.Count(r => r.Outcome == IngestOutcome.Rejected),
        [.. results.Select(IngestItemResponse.From)]);
}

/// <summary><c>/api/v1</c> endpoints through which shops push customers, orders and subscription events.</summary>
public static class IngestApi
{
    public static RouteGroupBuilder MapIngestApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var ingest = api.MapGroup("").RequireAuthorization(ApiKeysFeature.IngestPolicy).WithTags("Ingest");
        ingest.MapPut("/customers/{externalId}", PutCustomerAsync).WithSummary("Create or update a customer by the shop's id.");
        ingest.MapPut("/orders/{externalId}", PutOrderAsync).WithSummary("Create or update an order by the shop's id; its customer must exist.");
        ingest.MapPost("/subscription-events", PostSubscriptionEventAsync).WithSummary("Record a subscription event; a replayed event id changes nothing.");
        var batches = ingest.MapGroup("").WithMetadata(new RequestBodyLimit(options => options.MaxBatchBodyBytes));
        batches.MapPost("/customers/batch", PostCustomersAsync).WithSummary("Create or update up to 1,000 customers; answers per item.");
        batches.MapPost("/orders/batch", PostOrdersAsync).WithSummary("Create or update up to 1,000 orders; answers per item.");
        batches.MapPost("/subscription-events/batch", PostSubscriptionEventsAsync).WithSummary("Record up to 1,000 subscription events; answers per item.");
        return api;
    }

    public static async Task<Results<Created<IngestItemResponse>, Ok<IngestItemResponse>, ValidationProblem, ProblemHttpResult>> PutCustomerAsync(
        string externalId, CustomerInput customer, IngestService ingest, CancellationToken cancellationToken)
    {
        var results = await ingest.CustomersAsync([customer with { ExternalId = externalId }], IngestChannels.Api, IngestContext.OneItem, cancellationToken);
        return Answer(results[0], $"/api/v1/customers/{Uri.EscapeDataString(externalId)}");
    }

    public static async Task<Results<Created<IngestItemResponse>, Ok<IngestItemResponse>, ValidationProblem, ProblemHttpResult>> PutOrderAsync(
        string externalId, OrderInput order, IngestService ingest, CancellationToken cancellationToken)
    {
        var results = await ingest.OrdersAsync([order with { ExternalId = externalId }], IngestContext.OneItem, cancellationToken);
        return Answer(results[0], $"/api/v1/orders/{Uri.EscapeDataString(externalId)}");
    }

    public static async Task<Results<Created<IngestItemResponse>, Ok<IngestItemResponse>, ValidationProblem, ProblemHttpResult>> PostSubscriptionEventAsync(
        SubscriptionEventInput subscriptionEvent, IngestService ingest, CancellationToken cancellationToken)
    {
        var results = await ingest.SubscriptionEventsAsync([subscriptionEvent], IngestContext.OneItem, cancellationToken);
        return Answer(results[0], $"/api/v1/subscription-events/{Uri.EscapeDataString(subscriptionEvent.EventId ?? "")}");
    }

    public static async Task<Results<Ok<BatchResponse>, ValidationProblem>> PostCustomersAsync(
        BatchRequest<CustomerInput> batch, IngestService ingest, CancellationToken cancellationToken) =>
        CheckBatch(batch) ?? (Results<Ok<BatchResponse>, ValidationProblem>)TypedResults.Ok(BatchResponse.From(
            await ingest.CustomersAsync(batch.Items!, IngestChannels.Api, IngestContext.Batch, cancellationToken)));

    public static async Task<Results<Ok<BatchResponse>, ValidationProblem>> PostOrdersAsync(
        BatchRequest<OrderInput> batch, IngestService ingest, CancellationToken cancellationToken) =>
        CheckBatch(batch) ?? (Results<Ok<BatchResponse>, ValidationProblem>)TypedResults.Ok(BatchResponse.From(
            await ingest.OrdersAsync(batch.Items!, IngestContext.Batch, cancellationToken)));

    public static async Task<Results<Ok<BatchResponse>, ValidationProblem>> PostSubscriptionEventsAsync(
        BatchRequest<SubscriptionEventInput> batch, IngestService ingest, CancellationToken cancellationToken) =>
        CheckBatch(batch) ?? (Results<Ok<BatchResponse>, ValidationProblem>)TypedResults.Ok(BatchResponse.From(
            await ingest.SubscriptionEventsAsync(batch.Items!, IngestContext.Batch, cancellationToken)));

    private static readonly string[] NullItem = ["An item is an object; null is not one."];

    private static ValidationProblem? CheckBatch<T>(BatchRequest<T> batch) => batch.Items switch
    {
        null or [] => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["items"] = ["Send 1 to 1,000 items."] }),
        { Count: > IngestService.MaxBatchItems } items => TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["items"] = [$"{items.Count:N0} items is more than the {IngestService.MaxBatchItems:N0} a batch may hold; split the batch."],
        }),
        // JSON may send null in the list ("items": [null]); it is a mistake to name, not a crash.
        var items when items.Any(item => item is null) => TypedResults.ValidationProblem(items
            .Select((item, index) => (item, index))
            .Where(entry => entry.item is null)
            .ToDictionary(entry => $"items[{entry.index}]", _ => NullItem)),
        _ => null,
    };

    private static Results<Created<IngestItemResponse>, Ok<IngestItemResponse>, ValidationProblem, ProblemHttpResult> Answer(
        IngestItemResult result, string location)
    {
        var response = IngestItemResponse.From(result);
        return result switch
        {
            { Outcome: IngestOutcome.Inserted } => TypedResults.Created(location, response),
            { Outcome: IngestOutcome.Rejected, Errors: [{ Message: IngestService.UnknownCustomerMessage } error] } =>
                TypedResults.Problem($"{error.Path}: {error.Message}", statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Unknown customer"),
            { Outcome: IngestOutcome.Rejected } => TypedResults.ValidationProblem(result.Errors
                .GroupBy(e => e.Path, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray())),
            _ => TypedResults.Ok(response),
        };
    }
}
