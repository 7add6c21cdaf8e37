using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Starts the real web app as its own process, as an operator would, with bad settings.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly TemporaryDirectory _workingDirectory = new();

    [Theory]
    [InlineData("Oracle", null, "Database:Provider")]
    [InlineData("Postgres", null, "ConnectionStrings:FeedbackHub is required")]
    [InlineData("Postgres", "Host=127.0.0.1;Port=notaport", "ConnectionStrings:FeedbackHub is not a valid PostgreSQL connection string")]
    [InlineData("Postgres", "Host=127.0.0.1;Port=1;Database=feedbackhub;Username=feedbackhub;Timeout=3", "ConnectionStrings:FeedbackHub cannot be reached")]
    public async Task Start_WithBadDatabaseSettings_StopsWithOneClearMessage(string provider, string? connectionString, string expected)
    {
        var result = await StartAppAsync(new Dictionary<string, string?>
        {
            ["Database__Provider"] = provider,
            ["ConnectionStrings__FeedbackHub"] = connectionString,
        });

        Assert.Equal(1, result.ExitCode);
        var message = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("FeedbackHub cannot start: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", null, "Email:Smtp:Port must be between 1 and 65535")]
    [InlineData("587", "mailer", "Email:Smtp:UserName and Email:Smtp:Password must be set together")]
    public async Task Start_WithBadSmtpSettings_StopsNamingTheSetting(string port, string? user, string expected)
    {
        var result = await StartAppAsync(new Dictionary<string, string?>
        {
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = port,
            ["Email__Smtp__UserName"] = user,
        });

        Assert.Equal(1, result.ExitCode);
        var message = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithGrossMarginAbove100_StopsNamingTheSetting()
    {
        var result = await StartAppAsync(new Dictionary<string, string?> { ["Analytics__GrossMarginPercent"] = "101" });

        Assert.Equal(1, result.ExitCode);
        var message = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Analytics:GrossMarginPercent must be between 0 and 100 percent.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondStart_OnExistingDatabase_AppliesNothingAndLosesNothing()
    {
        using var data = new TemporaryDirectory();
        using (var first = new FeedbackHubFactory(data.Path))
        {
            await using var scope = first.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Customers.Add(new Customer { ExternalId = "survivor", Email = "survivor@example.com", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        using var second = new FeedbackHubFactory(data.Path);
        await using var secondScope = second.Services.CreateAsyncScope();
        var reopened = secondScope.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.Equal("survivor@example.com", (await reopened.Customers.SingleAsync()).Email);
        Assert.Empty(await reopened.Database.GetPendingMigrationsAsync());
    }

    public void Dispose() => _workingDirectory.Dispose();

    private async Task<ProcessResult> StartAppAsync(Dictionary<string, string?> environment)
    {
        environment["Storage__DataDirectory"] = Path.Combine(_workingDirectory.Path, "data");
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        var app = Path.Combine(AppContext.BaseDirectory, "FeedbackHub.Web.dll");
        return await ProcessRunner.RunAsync("dotnet", [app], environment, _workingDirectory.Path, timeout: TimeSpan.FromSeconds(60));
    }
}
