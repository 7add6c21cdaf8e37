namespace FeedbackHub.Web.Features.DemoData;

/// <summary>Name material for invented demo customers; every address is at a reserved example domain.</summary>
internal static class DemoPeople
{
    public static readonly string[] DutchFirstNames =
    [
        "Anouk", "Bram", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Iris", "Jeroen", "Joris", "Julia", "Kees",
        "Lieke", "Lotte", "Luuk", "Maaike", "Marloes", "Milan", "Noor", "Pieter", "Renske", "Ruben", "Sanne",
        "Sem", "Sofie", "Thijs", "Tim", "Vera", "Wouter", "Yara", "Zoë", "Floor", "Stijn", "Ilse", "Niels", "Merel",
    ];

    public static readonly string[] DutchLastNames =
    [
        "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
        "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "Vermeulen",
        "van Beek", "Willems", "Hoekstra", "Koster", "Prins", "Huisman", "Postma", "Kuipers",
    ];

    public static readonly string[] EnglishFirstNames =
    [
        "Alice", "Amelia", "Arthur", "Ben", "Charlotte", "Chloe", "Daniel", "Ella", "Emily", "Finn", "George",
        "Grace", "Harry", "Isla", "Jack", "Jacob", "Lily", "Lucy", "Mia", "Noah", "Oliver", "Olivia", "Oscar",
        "Poppy", "Rosie", "Ruby", "Sam", "Sophie", "Thomas", "William", "Zara", "Leo", "Freya", "Evie", "Alfie", "Maya",
    ];

    public static readonly string[] EnglishLastNames =
    [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel",
        "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell", "Rose", "Davis", "Rodriguez", "Cox", "Alexander",
        "Morgan", "Hughes", "Edwards", "Hill",
    ];

    /// <summary>Lower-case ASCII letters only, for the local part of an invented address.</summary>
    public static string EmailPart(string name)
    {
        var normalized = name.Normalize(System.Text.NormalizationForm.FormD);
        return string.Concat(normalized.Where(char.IsAsciiLetter)).ToLowerInvariant();
    }
}
