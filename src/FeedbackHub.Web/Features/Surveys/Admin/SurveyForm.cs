namespace FeedbackHub.Web.Features.Surveys.Admin;

/// <summary>
/// The survey as the editor page binds it: every text twice (English, Dutch) and the choices as rows,
/// so a choice's key is typed once and both languages always share it.
/// </summary>
public sealed class SurveyForm
{
    public LanguagePair Title { get; set; } = new();
    public LanguagePair Intro { get; set; } = new();
    public LanguagePair ReasonQuestion { get; set; } = new();
    public List<ChoiceRow> Choices { get; set; } = [];
    public LanguagePair ImproveQuestion { get; set; } = new();
    public LanguagePair ComebackQuestion { get; set; } = new();
    public LanguagePair ComebackLow { get; set; } = new();
    public LanguagePair ComebackHigh { get; set; } = new();
    public LanguagePair Submit { get; set; } = new();
    public LanguagePair ThanksTitle { get; set; } = new();
    public LanguagePair ThanksText { get; set; } = new();

    /// <summary>The single-line texts in the order the survey shows them, with the field name its validation uses.</summary>
    public IEnumerable<(string Field, string Label, LanguagePair Texts, bool Multiline)> Texts =>
    [
        ("title", "Title", Title, false),
        ("intro", "Introduction", Intro, true),
        ("reasonQuestion", "Main-reason question", ReasonQuestion, false),
        ("improveQuestion", "Free-text question", ImproveQuestion, false),
        ("comebackQuestion", "0–10 question", ComebackQuestion, false),
        ("comebackLow", "Label at 0", ComebackLow, false),
        ("comebackHigh", "Label at 10", ComebackHigh, false),
        ("submit", "Send button", Submit, false),
        ("thanksTitle", "Thank-you title", ThanksTitle, false),
        ("thanksText", "Thank-you text", ThanksText, true),
    ];

    public static SurveyForm From(SurveyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var (en, nl) = (definition.English, definition.Dutch);
        var dutchLabels = nl.Choices.ToDictionary(c => c.Key, c => c.Label, StringComparer.Ordinal);
        return new SurveyForm
        {
            Title = new(en.Title, nl.Title),
            Intro = new(en.Intro, nl.Intro),
            ReasonQuestion = new(en.ReasonQuestion, nl.ReasonQuestion),
            Choices = [.. en.Choices.Select(c => new ChoiceRow { Key = c.Key, English = c.Label, Dutch = dutchLabels.GetValueOrDefault(c.Key, "") })],
            ImproveQuestion = new(en.ImproveQuestion, nl.ImproveQuestion),
            ComebackQuestion = new(en.ComebackQuestion, nl.ComebackQuestion),
            ComebackLow = new(en.ComebackLow, nl.ComebackLow),
            ComebackHigh = new(en.ComebackHigh, nl.ComebackHigh),
            Submit = new(en.Submit, nl.Submit),
            ThanksTitle = new(en.ThanksTitle, nl.ThanksTitle),
            ThanksText = new(en.ThanksText, nl.ThanksText),
        };
    }

    /// <summary>The definition to validate and store; every text trimmed.</summary>
    public SurveyDefinition ToDefinition() => new(Language(p => p.English, c => c.English), Language(p => p.Dutch, c => c.Dutch));

    private SurveyTexts Language(Func<LanguagePair, string> text, Func<ChoiceRow, string> label) => new(
        Clean(text(Title)),
        Clean(text(Intro)),
        Clean(text(ReasonQuestion)),
        [.. Choices.Select(c => new SurveyChoice(Clean(c.Key), Clean(label(c))))],
        Clean(text(ImproveQuestion)),
        Clean(text(ComebackQuestion)),
        Clean(text(ComebackLow)),
        Clean(text(ComebackHigh)),
        Clean(text(Submit)),
        Clean(text(ThanksTitle)),
        Clean(text(ThanksText)));

    private static string Clean(string? value) => value?.Trim() ?? "";
}

/// <summary>One survey text in both languages.</summary>
public sealed class LanguagePair
{
    public LanguagePair()
    {
    }

    public LanguagePair(string english, string dutch) => (English, Dutch) = (english, dutch);

    public string English { get; set; } = "";

    public string Dutch { get; set; } = "";
}

/// <summary>A main-reason choice: the key the figures count by, and its label in each language.</summary>
public sealed class ChoiceRow
{
    public string Key { get; set; } = "";

    public string English { get; set; } = "";

    public string Dutch { get; set; } = "";
}
