using Bunit;
using FeedbackHub.Web.Features.Staff;

namespace FeedbackHub.Web.Tests;

public sealed class StaffStatusBadgeTests : BunitContext
{
    [Theory]
    [InlineData(StaffStatus.Active, "Active", "badge-ok")]
    [InlineData(StaffStatus.Invited, "Invited", "badge-info")]
    [InlineData(StaffStatus.LockedOut, "Locked out", "badge-warn")]
    [InlineData(StaffStatus.Disabled, "Disabled", "badge-warn")]
    public void Render_EachStatus_ShowsWordsColourAndExplanation(StaffStatus status, string label, string cssClass)
    {
        var badge = Render<StaffStatusBadge>(parameters => parameters.Add(p => p.Status, status));

        var span = badge.Find("span.badge");
        Assert.Equal(label, span.TextContent);
        Assert.Contains(cssClass, span.ClassList);
        Assert.False(string.IsNullOrWhiteSpace(span.GetAttribute("title")));
    }

    [Fact]
    public void Render_LockedOut_TellsWhenItUnlocks()
    {
        var badge = Render<StaffStatusBadge>(parameters => parameters.Add(p => p.Status, StaffStatus.LockedOut));

        Assert.Contains($"{StaffIdentity.LockoutDuration.TotalMinutes:0} minutes", badge.Find("span").GetAttribute("title"), StringComparison.Ordinal);
    }
}
