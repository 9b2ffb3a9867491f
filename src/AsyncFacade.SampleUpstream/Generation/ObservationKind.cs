namespace AsyncFacade.SampleUpstream.Generation;

/// <summary>A LOINC observation with its UCUM unit and a plausible value range (in units of 10^-Decimals).</summary>
internal sealed record ObservationKind(Coded Code, Coded Category, byte[] Unit, byte[] UcumCode, int Min, int Max, byte Decimals);
