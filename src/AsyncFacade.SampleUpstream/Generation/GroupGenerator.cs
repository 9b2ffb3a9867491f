using System.Text;
using System.Text.Json;

namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>
/// A few cohorts whose members are every k-th patient, so a Group export touches a known, checkable subset.
/// Membership is capped so a Group read stays a reasonable size at millions of patients.
/// </summary>
internal sealed class GroupGenerator(SampleCounts counts, int seed)
    : GeneratedType("Group", "grp", counts.Groups, 0, counts, seed)
{
    public const int MaxMembers = 10_000;

    public static readonly (int Stride, int Offset)[] Definitions = [(10, 0), (25, 3), (100, 7)];

    /// <summary>Patient index of member <paramref name="member"/> of group <paramref name="group"/>.</summary>
    public static long MemberPatient(long group, long member) => Definitions[group].Offset + (member * Definitions[group].Stride);

    public long MemberCount(long group)
    {
        var (stride, offset) = Definitions[group];
        var all = Counts.Patients > offset ? ((Counts.Patients - offset - 1) / stride) + 1 : 0;
        return Math.Min(all, MaxMembers);
    }

    protected override void WriteBody(Utf8JsonWriter writer, long index, ref DeterministicRandom random)
    {
        var (stride, offset) = Definitions[index];
        writer.WriteString("type"u8, "person"u8);
        writer.WriteBoolean("actual"u8, true);
        writer.WriteString("name"u8, Encoding.UTF8.GetBytes($"Sample cohort: every {stride}th patient from pat-{offset}"));
        var members = MemberCount(index);
        writer.WriteNumber("quantity"u8, members);
        if (members == 0)
        {
            return;
        }
        writer.WriteStartArray("member"u8);
        for (long member = 0; member < members; member++)
        {
            writer.WriteStartObject();
            WriteReference(writer, "entity"u8, "Patient/pat-"u8, MemberPatient(index, member));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
