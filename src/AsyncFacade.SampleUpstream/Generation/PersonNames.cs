using System.Text;

namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>Name and address tables for patients, practitioners and organisations.</summary>
internal static class PersonNames
{
    public static readonly byte[][] FemaleGiven = Utf8(
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
        "Lisa", "Nancy", "Betty", "Sandra", "Margaret", "Ashley", "Emily", "Olivia", "Sofia", "Amara");

    public static readonly byte[][] MaleGiven = Utf8(
        "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles",
        "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Paul", "Andrew", "Joshua", "Kenji", "Mateo");

    public static readonly byte[][] Family = Utf8(
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Nguyen", "O'Brien");

    public static readonly byte[][] Streets = Utf8(
        "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Washington Blvd", "Lake Rd", "Hill St", "Park Ave", "River Rd");

    /// <summary>City and its state, same index.</summary>
    public static readonly byte[][] Cities = Utf8(
        "Boston", "Springfield", "Madison", "Portland", "Austin", "Denver", "Columbus", "Raleigh", "Phoenix", "Salem");

    public static readonly byte[][] States = Utf8("MA", "IL", "WI", "OR", "TX", "CO", "OH", "NC", "AZ", "OR");

    public static readonly byte[][] OrganizationKinds = Utf8(
        "General Hospital", "Family Clinic", "Medical Center", "Community Health Center", "Urgent Care");

    private static byte[][] Utf8(params string[] values) => Array.ConvertAll(values, Encoding.UTF8.GetBytes);
}
