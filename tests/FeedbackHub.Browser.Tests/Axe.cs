using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>axe-core's WCAG 2.1 A and AA rules on a settled page.</summary>
public static partial class Axe
{
    /// <summary>
    /// Waits until the page is settled, then lists its violations. An interactive page re-renders its
    /// head when the Blazor circuit starts, so axe waits for the network to idle and for a title to be present:
    /// checking mid-render reported a missing title that no person ever sees.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page).ToHaveTitleAsync(AnyTitle());
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            // Email previews sit in script-less sandboxed frames that axe cannot enter (it would wait for them forever);
            // the emails are checked as HTML by the template tests.
            Iframes = false,
        }).WaitAsync(TimeSpan.FromSeconds(60)); // a scan that never returns fails the test instead of hanging the suite
        Assert.NotEmpty(result.Passes); // axe really ran on the page
        return [.. result.Violations.Select(v =>
            $"{page.Url}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Select(n => n.Target?.ToString() ?? ""))}")];
    }

    [GeneratedRegex(@"\S")]
    private static partial Regex AnyTitle();
}
