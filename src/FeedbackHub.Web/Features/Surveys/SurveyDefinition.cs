using System.Text.Json;
using System.Text.RegularExpressions;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Surveys;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>One answer to the main-reason question: a stable key (what the figures group by) and its label.</summary>
public sealed record SurveyChoice(string Key, string Label);

/// <summary>The exit survey's wording in one language.</summary>
public sealed record SurveyTexts(
    string Title,
    string Intro,
    string ReasonQuestion,
    IReadOnlyList<SurveyChoice> Choices,
    string ImproveQuestion,
    string ComebackQuestion,
    string ComebackLow,
    string ComebackHigh,
    string Submit,
    string ThanksTitle,
    string ThanksText);

/// <summary>
/// The exit survey as admins edit it: the same questions and choice keys in English and Dutch.
/// Stored as JSON in <see cref="SurveyVersion.Definition"/>.
/// </summary>
public sealed partial record SurveyDefinition(SurveyTexts English, SurveyTexts Dutch)
{
    public const int MaxText = 500;
    public const int MinChoices = 2;
    public const int MaxChoices = 10;

    /// <summary>What a choice key (and a custom reason's key) may look like, in words.</summary>
    public const string KeyRule = "A key is 1–40 lower-case letters, digits or hyphens, starting with a letter (e.g. 'delivery').";

    /// <summary>The reasons the classifier and the figures know; admins may add their own.</summary>
    public static IReadOnlyList<string> StandardReasons { get; } = ["price", "service", "experience", "other"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public SurveyTexts For(string locale) => locale == CustomerLocales.Dutch ? Dutch : English;

    public IEnumerable<string> ChoiceKeys => English.Choices.Select(c => c.Key);

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static SurveyDefinition Parse(string json) =>
        JsonSerializer.Deserialize<SurveyDefinition>(json, Json) ?? throw new InvalidOperationException("A stored survey version is empty.");

    /// <summary>Every problem, by field path (e.g. <c>dutch.choices[2].label</c>); empty when the definition can be saved.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Check("english", English);
        Check("dutch", Dutch);
        var english = English.Choices.Select(c => c.Key).ToList();
        var dutch = Dutch.Choices.Select(c => c.Key).ToList();
        if (!english.SequenceEqual(dutch, StringComparer.Ordinal))
        {
            errors["dutch.choices"] = ["The Dutch choices must have the same keys, in the same order, as the English ones."];
        }

        return errors;

        void Check(string language, SurveyTexts texts)
        {
            Text($"{language}.title", texts.Title);
            Text($"{language}.intro", texts.Intro, required: false);
            Text($"{language}.reasonQuestion", texts.ReasonQuestion);
            Text($"{language}.improveQuestion", texts.ImproveQuestion);
            Text($"{language}.comebackQuestion", texts.ComebackQuestion);
            Text($"{language}.comebackLow", texts.ComebackLow);
            Text($"{language}.comebackHigh", texts.ComebackHigh);
            Text($"{language}.submit", texts.Submit);
            Text($"{language}.thanksTitle", texts.ThanksTitle);
            Text($"{language}.thanksText", texts.ThanksText);
            if (texts.Choices.Count is < MinChoices or > MaxChoices)
            {
                errors[$"{language}.choices"] = [$"Give between {MinChoices} and {MaxChoices} choices."];
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < texts.Choices.Count; i++)
            {
                var (key, label) = (texts.Choices[i].Key, texts.Choices[i].Label);
                if (!IsValidKey(key))
                {
                    errors[$"{language}.choices[{i}].key"] = [KeyRule];
                }
                else if (!seen.Add(key!))
                {
                    errors[$"{language}.choices[{i}].key"] = [$"The key '{key}' is used twice."];
                }

                Text($"{language}.choices[{i}].label", label);
            }
        }

        void Text(string path, string? value, bool required = true)
        {
            if (required && string.IsNullOrWhiteSpace(value))
            {
                errors[path] = ["Fill this in."];
            }
            else if (value?.Length > MaxText)
            {
                errors[path] = [$"At most {MaxText} characters ({value.Length} now)."];
            }
        }
    }

    /// <summary>Whether <paramref name="key"/> follows <see cref="KeyRule"/>.</summary>
    public static bool IsValidKey(string? key) => KeyPattern().IsMatch(key ?? "");

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex KeyPattern();

    /// <summary>The survey a fresh installation asks, in both languages.</summary>
    public static SurveyDefinition Default { get; } = new(
        new SurveyTexts(
            Title: "Why did you leave?",
            Intro: "We are sorry to see you go. Three short questions help us do better; it takes a minute.",
            ReasonQuestion: "What was the main reason?",
            Choices:
            [
                new("price", "The price"),
                new("service", "The service (customer support, staff)"),
                new("experience", "A bad experience (product, delivery, website)"),
                new("other", "Something else"),
            ],
            ImproveQuestion: "What could we have done better?",
            ComebackQuestion: "How likely are you to come back?",
            ComebackLow: "Not at all likely",
            ComebackHigh: "Very likely",
            Submit: "Send my answers",
            ThanksTitle: "Thank you!",
            ThanksText: "Your answers reached us. We read every one of them."),
        new SurveyTexts(
            Title: "Waarom ben je weggegaan?",
            Intro: "Jammer dat je vertrekt. Drie korte vragen helpen ons beter te worden; het kost een minuutje.",
            ReasonQuestion: "Wat was de belangrijkste reden?",
            Choices:
            [
                new("price", "De prijs"),
                new("service", "De service (klantenservice, medewerkers)"),
                new("experience", "Een slechte ervaring (product, bezorging, website)"),
                new("other", "Iets anders"),
            ],
            ImproveQuestion: "Wat hadden we beter kunnen doen?",
            ComebackQuestion: "Hoe waarschijnlijk is het dat je terugkomt?",
            ComebackLow: "Helemaal niet waarschijnlijk",
            ComebackHigh: "Zeer waarschijnlijk",
            Submit: "Verstuur mijn antwoorden",
            ThanksTitle: "Bedankt!",
            ThanksText: "Je antwoorden zijn bij ons aangekomen. We lezen ze allemaal."));
}
