using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.DemoData;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// Stores the demo seeder's customers (<see cref="DemoWorld.Invent"/>: the same rows, the same shape)
/// with <see cref="BulkInsert"/> instead of EF Core, for sizes the seeder's EF Core path takes too long
/// for: ids are handed out here, secondary indexes are built once at the end, and customers are
/// invented and written in chunks so memory stays bounded.
/// </summary>
internal sealed class DemoBulkLoad(AppDbContext db, DemoWorld world)
{
    private const int ChunkSize = 50_000;

    private static readonly string[] Tables =
        ["Customers", "Orders", "SubscriptionEvents", "ChurnEvents", "SurveyInvitations", "SurveyResponses", "CampaignAssignments", "DiscountCodes", "ThankYous"];

    private readonly Keys _keys = new();

    public async Task<DemoDataResult> LoadAsync(DatabaseSettings settings, int customers, IProgress<int> progress)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var result = new DemoDataResult(false, 0, 0, 0);
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            using var connection = new SqliteConnection(settings.ConnectionString);
            connection.Open();
            BulkInsert.SqliteWithoutIndexes(connection, Tables, () =>
            {
                foreach (var chunk in Chunks(customers))
                {
                    Write(chunk, (writer, rows) => writer.Sqlite(connection, rows));
                    result += DemoDataResult.Of(chunk);
                    progress.Report(result.Customers);
                }
            });
            return result;
        }

        await using var postgres = new NpgsqlConnection(settings.ConnectionString);
        await postgres.OpenAsync();
        await BulkInsert.PostgresWithoutIndexesAsync(postgres, Tables, async () =>
        {
            foreach (var chunk in Chunks(customers))
            {
                await WriteAsync(chunk, (writer, rows) => writer.PostgresAsync(postgres, rows));
                result += DemoDataResult.Of(chunk);
                progress.Report(result.Customers);
            }
        });
        return result;
    }

    private IEnumerable<List<DemoCustomer>> Chunks(int customers)
    {
        for (var first = 0; first < customers; first += ChunkSize)
        {
            var chunk = Enumerable.Range(first, Math.Min(ChunkSize, customers - first)).Select(world.Invent).ToList();
            chunk.ForEach(_keys.Assign);
            yield return chunk;
        }
    }

    private void Write(List<DemoCustomer> chunk, Action<IWriter, IEnumerable<object>> write) =>
        WriteAsync(chunk, (writer, rows) =>
        {
            write(writer, rows);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    /// <summary>Every table of the chunk, parents before children.</summary>
    private async Task WriteAsync(List<DemoCustomer> chunk, Func<IWriter, IEnumerable<object>, Task> write)
    {
        await write(new Writer<Customer>(db), chunk.Select(c => c.Customer));
        await write(new Writer<Order>(db), chunk.SelectMany(c => c.Customer.Orders));
        await write(new Writer<SubscriptionEvent>(db), chunk.SelectMany(c => c.Customer.SubscriptionEvents));
        await write(new Writer<ChurnEvent>(db), chunk.SelectMany(c => c.ChurnEvents));
        await write(new Writer<SurveyInvitation>(db), chunk.SelectMany(c => c.Invitations));
        await write(new Writer<SurveyResponse>(db), chunk.SelectMany(c => c.Responses));
        await write(new Writer<CampaignAssignment>(db), chunk.SelectMany(c => c.Assignments));
        await write(new Writer<DiscountCode>(db), chunk.SelectMany(c => c.Codes));
        await write(new Writer<ThankYou>(db), chunk.SelectMany(c => c.ThankYous.Select(t => t.Row)));
    }

    private interface IWriter
    {
        void Sqlite(SqliteConnection connection, IEnumerable<object> rows);

        Task PostgresAsync(NpgsqlConnection connection, IEnumerable<object> rows);
    }

    private sealed class Writer<T>(AppDbContext db) : IWriter
        where T : class
    {
        private readonly EntityBulkInsert<T> _insert = new(db);

        public void Sqlite(SqliteConnection connection, IEnumerable<object> rows) => _insert.Sqlite(connection, rows.Cast<T>());

        public Task PostgresAsync(NpgsqlConnection connection, IEnumerable<object> rows) => _insert.PostgresAsync(connection, rows.Cast<T>());
    }

    /// <summary>The next id of each table, and the keys that EF Core would fill from navigations.</summary>
    private sealed class Keys
    {
        private long _customer, _order, _subscription, _churn, _invitation, _response, _assignment, _code, _thankYou;

        public void Assign(DemoCustomer demo)
        {
            var customer = demo.Customer;
            customer.Id = ++_customer;
            foreach (var order in customer.Orders)
            {
                (order.Id, order.CustomerId) = (++_order, customer.Id);
            }

            foreach (var change in customer.SubscriptionEvents)
            {
                (change.Id, change.CustomerId) = (++_subscription, customer.Id);
            }

            foreach (var churn in demo.ChurnEvents)
            {
                (churn.Id, churn.CustomerId) = (++_churn, customer.Id);
            }

            foreach (var invitation in demo.Invitations)
            {
                (invitation.Id, invitation.ChurnEventId, invitation.CustomerId) = (++_invitation, invitation.ChurnEvent!.Id, customer.Id);
            }

            demo.Responses.ForEach(r => r.Id = ++_response);
            demo.Assignments.ForEach(a => a.Id = ++_assignment);
            demo.Codes.ForEach(c => c.Id = ++_code);
            demo.ThankYous.ForEach(t => t.Row.Id = ++_thankYou);
            demo.LinkKeys();
        }
    }
}
