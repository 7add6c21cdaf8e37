using System.Net;
using System.Text.RegularExpressions;
using FeedbackHub.Data;
using FeedbackHub.Data.Email;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Invitations and password resets travel through the outbox and work end to end.</summary>
public sealed partial class StaffMailTests : IDisposable
{
    private const string NewPassword = "violet lantern seventeen ferries";
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task Invite_QueuesAnInvitationEmail_WhoseLinkSetsThePassword()
    {
        var admin = await _factory.CreateStaffAsync("boss@example.com", StaffRoles.Admin);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<StaffAdministration>()
                .InviteAsync(new Actor(admin.Id, "Boss Person"), "new.colleague@example.com", "Kim", [StaffRoles.Marketer], CancellationToken.None);
            Assert.True(result.Succeeded);
        }

        var email = await SingleEmailAsync("staff-invitation");
        Assert.Equal((EmailPurpose.Transactional, "new.colleague@example.com", null), (email.Purpose, email.ToAddress, email.ListUnsubscribeUrl));
        Assert.Contains("Boss Person invited you", email.TextBody, StringComparison.Ordinal);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        using var accepted = await session.AcceptInvitationAsync(PathOfLink(email.TextBody), NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        using var login = await session.LogInAsync("new.colleague@example.com", NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task ForgotPassword_KnownAndUnknownAddress_GetTheSameAnswer_OnlyTheKnownGetsAnEmail()
    {
        await _factory.CreateStaffAsync("member@example.com", StaffRoles.SupportLead);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());

        var known = await RequestResetAsync(session, "member@example.com");
        var unknown = await RequestResetAsync(session, "nobody@example.com");

        Assert.Equal(known.Replace("member@example.com", "X", StringComparison.Ordinal), unknown.Replace("nobody@example.com", "X", StringComparison.Ordinal));
        var email = await SingleEmailAsync("password-reset");
        Assert.Equal("member@example.com", email.ToAddress);
        using var reset = await session.AcceptInvitationAsync(PathOfLink(email.TextBody), NewPassword);
        using var login = await session.LogInAsync("member@example.com", NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.AbsolutePath);
    }

    public void Dispose() => _factory.Dispose();

    private static async Task<string> RequestResetAsync(BrowserSession session, string address)
    {
        using var response = await session.SubmitFormAsync("/account/forgot-password", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = address });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return Assert.Single(MessagePattern().Matches(html)).Value;
    }

    private async Task<OutboxEmail> SingleEmailAsync(string template)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxEmails.SingleAsync(e => e.Template == template);
    }

    /// <summary>The path and query of the one-time link in an email's plain text.</summary>
    private static string PathOfLink(string text) => new Uri(LinkPattern().Match(text).Value).PathAndQuery;

    [GeneratedRegex(@"http://localhost:5000/account/accept-invitation\?\S+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"<p class=""alert alert-success"" role=""status"">.*?</p>", RegexOptions.Singleline)]
    private static partial Regex MessagePattern();
}
