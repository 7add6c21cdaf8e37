using System.Net;
using System.Text;
using Xunit;

namespace FeedbackHub.Testing;

/// <summary>
/// What one group of hostile inputs did to the app: how many were tried, which answered 5xx, which
/// crashed the request (the test server rethrew or the connection broke), which answered otherwise than
/// expected, how many rows were lost or duplicated, and how many payloads ran in a browser. Written to
/// the test output as one line of totals, then asserted to be zero.
/// </summary>
public sealed class HostileTally(string group)
{
    private readonly List<string> _serverErrors = [];
    private readonly List<string> _crashes = [];
    private readonly List<string> _unexpected = [];
    private readonly List<string> _rowChanges = [];
    private readonly List<string> _executed = [];

    public int Tried { get; private set; }

    public int RowsLostOrDuplicated { get; private set; }

    /// <summary>Sends one hostile request; a 5xx or an exception is recorded, never thrown.</summary>
    public async Task<Answer> SendAsync(HttpClient client, HttpRequestMessage request, string label)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        Tried++;
        try
        {
            using (request)
            {
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var answer = new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers.Location, response.Headers.RetryAfter?.Delta);
                if ((int)response.StatusCode >= 500)
                {
                    _serverErrors.Add($"{label}: {(int)response.StatusCode} {Shorten(body)}");
                }

                return answer;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _crashes.Add($"{label}: {ex.GetType().Name}: {Shorten(ex.Message)}");
            return new Answer(0, null, "", null, null);
        }
    }

    /// <summary>Counts one hostile input that is not an HTTP request (a direct service call, a browser page).</summary>
    public async Task<T?> TryAsync<T>(Func<Task<T>> attempt, string label)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        Tried++;
        try
        {
            return await attempt();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _crashes.Add($"{label}: {ex.GetType().Name}: {Shorten(ex.Message)}");
            return default;
        }
    }

    /// <summary>Records an answer that was not 5xx but still not what the app owes (e.g. 200 where 400 was due).</summary>
    public void Expect(bool condition, string label, Answer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!condition && answer.Status != 0 && (int)answer.Status < 500)
        {
            _unexpected.Add($"{label}: {(int)answer.Status} {answer.MediaType} {Shorten(answer.Body)}");
        }
    }

    public void Unexpected(string what) => _unexpected.Add(what);

    /// <summary>Compares two <see cref="DatabaseSnapshot"/>s: every row that appeared or vanished counts.</summary>
    public void CompareRows(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, params string[] mayChange)
    {
        RowsLostOrDuplicated += DatabaseSnapshot.RowsChanged(before, after, mayChange);
        _rowChanges.AddRange(DatabaseSnapshot.Differences(before, after, mayChange));
    }

    /// <summary>Rows lost or duplicated that a test counted itself (e.g. a customer stored twice).</summary>
    public void RowsWrong(int count, string what)
    {
        RowsLostOrDuplicated += count;
        _rowChanges.Add(what);
    }

    public void Executed(string what) => _executed.Add(what);

    public string Totals =>
        $"{group}: {Tried} inputs tried, {_serverErrors.Count} unhandled 5xx, {_crashes.Count} crashes, "
        + $"{RowsLostOrDuplicated} rows lost or duplicated, {_executed.Count} payloads executed, {_unexpected.Count} other unexpected answers";

    /// <summary>Writes the totals, then fails with every detail when any of them is not zero.</summary>
    public void ReportAndAssert(Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        write(Totals);
        var details = new StringBuilder();
        foreach (var (name, list) in new[] { ("5xx", _serverErrors), ("crash", _crashes), ("rows", _rowChanges), ("executed", _executed), ("unexpected", _unexpected) })
        {
            foreach (var item in list)
            {
                details.Append(name).Append(": ").AppendLine(item);
            }
        }

        if (details.Length > 0)
        {
            write(details.ToString());
        }

        Assert.True(Tried > 0, $"{group}: nothing was tried");
        Assert.True(details.Length == 0, Totals + "\n" + details);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>What came back: status 0 when the request crashed.</summary>
    public sealed record Answer(HttpStatusCode Status, string? MediaType, string Body, Uri? Location, TimeSpan? RetryAfter)
    {
        public bool IsClientError => (int)Status is >= 400 and < 500;

        public bool IsProblem => MediaType == "application/problem+json";
    }
}
