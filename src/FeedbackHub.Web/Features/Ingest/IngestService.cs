using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using System.Data.Common;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Churn;
using FeedbackHub.Web.Features.Email;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Ingest;

/// <summary>Where data came in: recorded as the consent source when the shop names none.</summary>
public static class IngestChannels
{
    public const string Api = "api";
    public const string CsvImport = "csv-import";
}

/// <summary>How a call names its items (paths and labels in messages), and whether it only tries.</summary>
/// <param name="PathPrefix">Prefix of field paths for item i, e.g. <c>items[3].</c>.</param>
/// <param name="Label">How item i is named in messages, e.g. <c>item 3</c> or <c>line 12</c>.</param>
/// <param name="DryRun">Classify and validate everything, then roll back: nothing is stored.</param>
public sealed record IngestContext(Func<int, string> PathPrefix, Func<int, string> Label, bool DryRun = false)
{
    public static IngestContext OneItem { get; } = new(_ => "", _ => "this item");

    public static IngestContext Batch { get; } = new(i => $"items[{i}].", i => $"item {i}");
}

/// <summary>
/// The one way data comes in, shared by the REST API and CSV import: validates every item, keeps the
/// last of duplicate keys, stores the valid ones in one transaction and answers per item.
/// </summary>
public sealed class IngestService(
    AppDbContext db, DatabaseSettings settings, TimeProvider time, ThankYouIssuer thankYous, DiscountCodes discountCodes,
    UnsubscribeLinks unsubscribeLinks, ChurnDetector churn)
{
    public const int MaxBatchItems = 1_000;

    public Task<IngestItemResult[]> CustomersAsync(
        IReadOnlyList<CustomerInput> items, string channel, IngestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        return RunAsync(items, context,
            (item, prefix, now, errors) => IngestValidator.Validate(item, prefix, channel, now, errors),
            record => record.ExternalId,
            (writer, records, now, ct) => writer.WriteCustomersAsync(records, now, ct),
            unknownCustomerPath: null, cancellationToken);
    }

    public Task<IngestItemResult[]> OrdersAsync(IReadOnlyList<OrderInput> items, IngestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        // Thank-you emails carry unsubscribe links, which need a key; make it before the orders' transaction.
        unsubscribeLinks.EnsureKey();
        return RunAsync(items, context,
            (item, prefix, now, errors) => IngestValidator.Validate(item, prefix, now, errors),
            record => record.ExternalId,
            (writer, records, now, ct) => writer.WriteOrdersAsync(records, now, AfterOrdersAsync, ct),
            unknownCustomerPath: "customerExternalId", cancellationToken);
    }

    public Task<IngestItemResult[]> SubscriptionEventsAsync(
        IReadOnlyList<SubscriptionEventInput> items, IngestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        return RunAsync(items, context,
            (item, prefix, now, errors) => IngestValidator.Validate(item, prefix, now, errors),
            record => record.EventId,
            (writer, records, now, ct) => writer.WriteSubscriptionEventsAsync(records, now, AfterSubscriptionEventsAsync, ct),
            unknownCustomerPath: "customerExternalId", cancellationToken);
    }

    /// <summary>
    /// New orders earn their thank-you, used codes are marked and customers who ordered again are won
    /// back, in the orders' own transaction.
    /// </summary>
    private Task AfterOrdersAsync(DbTransaction transaction, IReadOnlyList<string> inserted, IReadOnlyList<string> updated, CancellationToken cancellationToken) =>
        InTransactionAsync(transaction, async () =>
        {
            await discountCodes.RedeemFromOrdersAsync([.. inserted, .. updated], cancellationToken);
            await thankYous.IssueAsync(inserted, cancellationToken);
            var customers = await db.Orders.Where(o => EF.Parameter(inserted).Contains(o.ExternalId)).Select(o => o.CustomerId).Distinct().ToListAsync(cancellationToken);
            await churn.AfterOrdersAsync(customers, cancellationToken);
        }, cancellationToken);

    /// <summary>A cancellation opens its churn event and a (re)start wins the customer back, in the events' own transaction.</summary>
    private Task AfterSubscriptionEventsAsync(DbTransaction transaction, IReadOnlyList<string> inserted, IReadOnlyList<string> updated, CancellationToken cancellationToken) =>
        InTransactionAsync(transaction, async () =>
        {
            var customers = await db.SubscriptionEvents.Where(e => EF.Parameter(inserted).Contains(e.EventId)).Select(e => e.CustomerId).Distinct().ToListAsync(cancellationToken);
            await churn.AfterSubscriptionEventsAsync(customers, cancellationToken);
        }, cancellationToken);

    private async Task InTransactionAsync(DbTransaction transaction, Func<Task> work, CancellationToken cancellationToken)
    {
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        try
        {
            await work();
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, cancellationToken);
        }
    }

    /// <summary>The message for an item that names a customer FeedbackHub does not know.</summary>
    public const string UnknownCustomerMessage = "No customer with this external id; send the customer first.";

    private async Task<IngestItemResult[]> RunAsync<TInput, TRecord>(
        IReadOnlyList<TInput> items,
        IngestContext context,
        Func<TInput, string, DateTimeOffset, List<FieldError>, TRecord?> validate,
        Func<TRecord, string> key,
        Func<IngestWriter, IReadOnlyList<TRecord>, DateTimeOffset, CancellationToken, Task<IngestOutcome[]>> write,
        string? unknownCustomerPath,
        CancellationToken cancellationToken)
        where TRecord : class
    {
        var now = time.GetUtcNow();
        var results = new IngestItemResult[items.Count];
        var records = new List<TRecord>(items.Count);
        var positions = new List<int>(items.Count);
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var errors = new List<FieldError>();
            var record = validate(items[i], context.PathPrefix(i), now, errors);
            if (record is null)
            {
                results[i] = new IngestItemResult(i, null, IngestOutcome.Rejected, errors);
                continue;
            }

            var itemKey = key(record);
            if (byKey.TryGetValue(itemKey, out var earlier))
            {
                // The same key twice in one request: the later one wins, the earlier one is reported.
                results[positions[earlier]] = new IngestItemResult(positions[earlier], itemKey, IngestOutcome.Rejected,
                    [new FieldError(context.PathPrefix(positions[earlier]).TrimEnd('.'), $"Superseded by {context.Label(i)} with the same key.")]);
                records[earlier] = record;
                positions[earlier] = i;
            }
            else
            {
                byKey[itemKey] = records.Count;
                records.Add(record);
                positions.Add(i);
            }
        }

        var outcomes = await write(new IngestWriter(db.Database.GetDbConnection(), settings.Provider, context.DryRun), records, now, cancellationToken);
        for (var r = 0; r < records.Count; r++)
        {
            var i = positions[r];
            results[i] = outcomes[r] == IngestOutcome.Rejected
                ? new IngestItemResult(i, key(records[r]), IngestOutcome.Rejected, [new FieldError(context.PathPrefix(i) + unknownCustomerPath, UnknownCustomerMessage)])
                : new IngestItemResult(i, key(records[r]), outcomes[r], []);
        }

        return results;
    }
}
