using System.Text;

namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>One coding kept as UTF-8 so the writers copy bytes instead of transcoding strings per resource.</summary>
internal sealed record Coded(byte[] System, byte[] Code, byte[] Display)
{
    public static Coded Of(string system, string code, string display) =>
        new(Encoding.UTF8.GetBytes(system), Encoding.UTF8.GetBytes(code), Encoding.UTF8.GetBytes(display));
}
