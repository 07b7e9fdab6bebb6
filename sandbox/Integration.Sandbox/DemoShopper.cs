namespace Integration.Sandbox;

/// <summary>A customer of a demo store (each store has its own, so a person is never two stores' customer by email).</summary>
public sealed record DemoShopper(long Id, string FirstName, string LastName, string Email, string Phone, string City)
{
    private static readonly string[] FirstNames = ["Mona", "Omar", "Nour", "Karim", "Yasmin", "Ahmed", "Salma", "Hassan", "Laila", "Youssef", "Farida", "Tarek"];
    private static readonly string[] LastNames = ["Hassan", "El-Sayed", "Mahmoud", "Farouk", "Abdelrahman", "Mostafa", "Naguib", "Saleh"];
    private static readonly string[] Cities = ["Cairo", "Giza", "Alexandria", "Mansoura", "Tanta"];

    /// <summary>A pool of <paramref name="count"/> shoppers of one store, ids from <paramref name="firstId"/>.</summary>
    public static IReadOnlyList<DemoShopper> Pool(string store, long firstId, int count, Random random) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var id = firstId + i;
            return new DemoShopper(id, first, last, $"{first}.{last}.{id}@{store}.example".ToLowerInvariant(),
                "+2010" + random.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture), Cities[random.Next(Cities.Length)]);
        })];
}
