using System.Net;
using System.Text.Json;
using FeedbackHub.Testing;

namespace FeedbackHub.Web.Tests;

public sealed class HealthTests : IDisposable
{
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task Healthz_DatabaseAnswers_Returns200WithDatabaseCheck()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(_factory.DataDirectory, "feedbackhub.db")), "The SQLite file is created in the data folder.");
    }

    public void Dispose() => _factory.Dispose();
}
