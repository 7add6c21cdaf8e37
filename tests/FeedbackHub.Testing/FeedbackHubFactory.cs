using FeedbackHub.Data.Database;
using FeedbackHub.Data.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FeedbackHub.Testing;

/// <summary>
/// The real app on its embedded default (SQLite), with a data folder of its own per factory, or a
/// folder the test keeps (to start the app twice on the same data), and optional settings on top
/// (e.g. <c>Email:Smtp:Port</c> of a MailDev server).
/// </summary>
public sealed class FeedbackHubFactory(string? keptDataDirectory = null, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public const string Password = "correct horse battery staple 7";

    private readonly TemporaryDirectory? _data = keptDataDirectory is null ? new() : null;

    public string DataDirectory => keptDataDirectory ?? _data!.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(StorageSettings.DataDirectoryKey, DataDirectory);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Testing");
        // Outside Development the app serves published assets only; tests run from the build output.
        builder.UseStaticWebAssets();
    }

    public HttpClient CreateBrowserLikeClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Creates an active staff account with <see cref="Password"/> and the given roles.</summary>
    public async Task<StaffUser> CreateStaffAsync(string email, params string[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        AssertSucceeded(await users.CreateAsync(user, Password));
        AssertSucceeded(await users.AddToRolesAsync(user, roles));
        return user;
    }

    /// <summary>A new staff account with these roles, logged in in a browser-like session of its own.</summary>
    public async Task<BrowserSession> SignedInAsync(string email, params string[] roles)
    {
        await CreateStaffAsync(email, roles);
        var session = new BrowserSession(CreateBrowserLikeClient());
        (await session.LogInAsync(email, Password)).Dispose();
        return session;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _data?.Dispose();
        }
    }

    private static void AssertSucceeded(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
}
