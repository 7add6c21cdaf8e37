using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using FeedbackHub.Data;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Reasons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>Real Chromium against the real app: a support lead works through the review queue with the keyboard only.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReasonReviewJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task SupportLead_LabelsWithTheKeyboard_AndTheNextAnswerGetsTheFocus()
    {
        var ids = await ExitSurveys.AddAnswersAsync(_app.Services,
        [
            ("Much too expensive for what you get.", "price"),
            ("Customer service never answered my emails.", "other"),
            ("We moved abroad last month.", "other"),
        ]);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ResponseClassifier>().ClassifyPendingAsync(CancellationToken.None);
        }

        await _app.CreateStaffAsync("lead@example.com", StaffRoles.SupportLead);
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await BrowserFixture.LogInAsync(page, "lead@example.com", FeedbackHubFactory.Password);
        await page.GotoAsync("/surveys/review");
        var answers = page.Locator("article.review-item");
        await Assertions.Expect(answers).ToHaveCountAsync(3);
        // Interactive once the buttons are enabled; then the first (least confident) answer has the focus.
        await Assertions.Expect(answers.First.GetByRole(AriaRole.Button).First).ToBeEnabledAsync();
        await Assertions.Expect(answers.Nth(0)).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(answers.Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(answers.Nth(2)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("k");
        await Assertions.Expect(answers.Nth(1)).ToBeFocusedAsync();
        var second = await answers.Nth(1).GetAttributeAsync("aria-labelledby");

        await page.Keyboard.PressAsync("3");
        await Assertions.Expect(answers.Nth(1).Locator("button.primary")).ToContainTextAsync("A bad experience");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("is labelled “A bad experience (product, delivery, website)”");
        await Assertions.Expect(answers).ToHaveCountAsync(2);
        await Assertions.Expect(answers.Nth(1)).ToBeFocusedAsync();
        var labelled = long.Parse(second!["answer-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var response = await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.SingleAsync(r => r.Id == labelled);
            Assert.Equal(("experience", "lead@example.com"), (response.HumanReason, response.LabelledBy));
        }

        Assert.Contains(labelled, ids);
        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Id}: {v.Help}")));
    }

    public void Dispose() => _app.Dispose();
}
