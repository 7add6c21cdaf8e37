using System.Net;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

public sealed class AccountTests : IDisposable
{
    private readonly FeedbackHubFactory _factory = new();

    [Theory]
    [InlineData("/")]
    [InlineData("/admin/staff")]
    [InlineData("/account/password")]
    public async Task StaffPage_Anonymous_RedirectsToLogin(string path)
    {
        using var client = _factory.CreateBrowserLikeClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogIn_Admin_ReachesStaffHomeAndStaffManagement()
    {
        await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());

        using var login = await session.LogInAsync("admin@example.com", FeedbackHubFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", new Uri(new Uri("http://localhost/"), login.Headers.Location!).AbsolutePath);
        Assert.Contains("Welcome to FeedbackHub", await session.GetPageAsync("/"), StringComparison.Ordinal);
        Assert.Contains("admin@example.com", await session.GetPageAsync("/admin/staff"), StringComparison.Ordinal);
        Assert.True(await AuditedAsync(AuditActions.LoginSucceeded, "admin@example.com"));
    }

    [Theory]
    [InlineData(StaffRoles.Marketer)]
    [InlineData(StaffRoles.SupportLead)]
    public async Task StaffManagement_WithoutAdminRole_Returns403(string role)
    {
        await _factory.CreateStaffAsync("colleague@example.com", role);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        using var login = await session.LogInAsync("colleague@example.com", FeedbackHubFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        using var response = await session.Client.GetAsync(new Uri("/admin/staff", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("No access", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StaffRoles.Marketer, "/import", HttpStatusCode.OK)]
    [InlineData(StaffRoles.Admin, "/import", HttpStatusCode.OK)]
    [InlineData(StaffRoles.SupportLead, "/import", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Marketer, "/admin/api-keys", HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.Admin, "/admin/api-keys", HttpStatusCode.OK)]
    public async Task RoleRestrictedPage_ForRole_AnswersAsExpected(string role, string path, HttpStatusCode expected)
    {
        await _factory.CreateStaffAsync("someone@example.com", role);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        (await session.LogInAsync("someone@example.com", FeedbackHubFactory.Password)).Dispose();

        using var response = await session.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task LogIn_SixthAttemptAfterFiveWrongPasswords_IsLockedOutEvenWithTheRightPassword()
    {
        await _factory.CreateStaffAsync("target@example.com", StaffRoles.Marketer);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var wrong = await session.LogInAsync("target@example.com", $"wrong password number {attempt}");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("The email or password is wrong", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var fifth = await session.LogInAsync("target@example.com", "wrong password number 5");
        using var sixth = await session.LogInAsync("target@example.com", FeedbackHubFactory.Password);

        Assert.Equal(HttpStatusCode.OK, sixth.StatusCode);
        Assert.Contains("locked", await sixth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync("target@example.com"))!));
        Assert.True(await AuditedAsync(AuditActions.LockedOut, "target@example.com"));
    }

    [Fact]
    public async Task LogIn_UnknownEmail_GetsTheSameMessageAsAWrongPassword()
    {
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());

        using var response = await session.LogInAsync("nobody@example.com", "whatever password here");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is wrong", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await AuditedAsync(AuditActions.LoginFailed, "nobody@example.com"));
    }

    [Fact]
    public async Task Disable_SignedInUser_EndsTheSessionAndRefusesNewLogins()
    {
        var admin = await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        var marketer = await _factory.CreateStaffAsync("marketer@example.com", StaffRoles.Marketer);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        (await session.LogInAsync("marketer@example.com", FeedbackHubFactory.Password)).Dispose();
        Assert.Contains("Welcome", await session.GetPageAsync("/"), StringComparison.Ordinal);

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<StaffAdministration>()
                .DisableAsync(new Actor(admin.Id, admin.Email!), marketer.Id, CancellationToken.None);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        }

        using var afterDisable = await session.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, afterDisable.StatusCode);
        Assert.StartsWith("/account/login", afterDisable.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        using var again = await session.LogInAsync("marketer@example.com", FeedbackHubFactory.Password);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("disabled", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_IsRefused()
    {
        await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        (await session.LogInAsync("admin@example.com", FeedbackHubFactory.Password)).Dispose();

        using var empty = new FormUrlEncodedContent([]);
        using var forged = await session.Client.PostAsync(new Uri("/account/logout", UriKind.Relative), empty);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Welcome", await session.GetPageAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_FromTheLayoutForm_SignsOut()
    {
        await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        (await session.LogInAsync("admin@example.com", FeedbackHubFactory.Password)).Dispose();
        var home = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await session.GetPageAsync("/"));
        var token = home.QuerySelector("form[action='account/logout'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
        using var logout = await session.Client.PostAsync(new Uri("/account/logout", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        using var afterwards = await session.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_WithCurrentPassword_LetsTheNewOneLogIn()
    {
        await _factory.CreateStaffAsync("lead@example.com", StaffRoles.SupportLead);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        (await session.LogInAsync("lead@example.com", FeedbackHubFactory.Password)).Dispose();
        const string newPassword = "lantern meadow copper violin";

        using var changed = await session.SubmitFormAsync("/account/password", "change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = FeedbackHubFactory.Password,
            ["Input.Password"] = newPassword,
            ["Input.ConfirmPassword"] = newPassword,
        });

        Assert.Contains("has been changed", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var fresh = new BrowserSession(_factory.CreateBrowserLikeClient());
        using var login = await fresh.LogInAsync("lead@example.com", newPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    public void Dispose() => _factory.Dispose();

    private async Task<bool> AuditedAsync(string action, string actorName)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditLog.AnyAsync(a => a.Action == action && a.ActorName == actorName);
    }
}
