using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Metadata;

namespace AsyncFacade.Server.Export;

internal static class ExportExtensions
{
    public static IServiceCollection AddExport(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ExportOptions, ExportOptionsValidator>().BindConfiguration(ExportOptions.Section);
        services.AddSingleton<ExportKickOff>();
        services.AddTransient<ExportPlanner>();
        services.AddTransient<TimeSlicer>();
        services.AddTransient<TypeFilterCheck>();
        services.AddTransient<PatientBlockPlanner>();
        services.AddTransient<PatientBlockWriter>();
        services.AddTransient<Paging.SearchPager>();
        services.AddTransient<Paging.HistoryPager>();
        services.AddTransient<Paging.CompletenessCheck>();
        services.AddTransient<DeletedResources>();
        services.AddKeyedTransient<IJobHandler, ExportJobHandler>(ExportJobs.Kind);
        services.AddKeyedTransient<IJobHandler, ExportUnitHandler>(ExportJobs.UnitKind);
        services.AddSingleton<IJobFinishedListener, ExportUnitListener>();
        services.AddKeyedSingleton<IJobProgressSource, ExportProgressSource>(ExportJobs.Kind);
        services.AddSingleton<ManifestLinks>();
        services.AddSingleton<ManifestResponder>();
        services.AddKeyedSingleton<IJobResultResponder>(ExportJobs.Kind, (sp, _) => sp.GetRequiredService<ManifestResponder>());
        services.AddKeyedSingleton<IJobPartialResult, PartialManifest>(ExportJobs.Kind);
        services.AddSingleton<ICapabilityContributor, ExportCapabilities>();
        return services;
    }
}
