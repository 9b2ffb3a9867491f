using AsyncFacade.Server.Async;
using AsyncFacade.Server.Callbacks;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Health;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Import;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Metadata;
using AsyncFacade.Server.OpenApi;
using AsyncFacade.Server.Security;
using AsyncFacade.Server.Security.Issuer;
using AsyncFacade.Server.Security.Secrets;
using AsyncFacade.Server.Simulation;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Telemetry;
using AsyncFacade.Server.Upstream;
using AsyncFacade.Server.WebConsole;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddHosting();                    // default URL :8080, console log format, public base URL, forwarded headers, roles
    builder.AddTelemetry();                  // spans and metrics; the OpenTelemetry SDK and exporters when Telemetry:Enabled
    builder.AddRequestSizeLimits();          // oversize URLs and headers answered with an OperationOutcome
    builder.Services.AddFhirErrors();        // every error as an OperationOutcome
    builder.Services.AddUpstream();          // upstream endpoint, resilient client, pass-through forwarder, sample upstream
    builder.AddJobs();                       // job records + Hangfire (in-memory, or PostgreSQL when configured)
    builder.AddSecrets();                    // data protection keys, shared secrets, jti replay cache (in PostgreSQL when configured)
    builder.Services.AddAsync();             // Prefer: respond-async → jobs; status, cancel, result
    builder.Services.AddAuth();              // SMART Backend Services bearer tokens and scopes (Auth:Enabled; off by default)
    builder.Services.AddSecurityAudit();     // one AsyncFacade.Security.Audit log event per security decision
    builder.Services.AddCallbacks();         // signed completion callbacks, SSRF-guarded
    builder.Services.AddExport();            // Bulk Data $export: kick-off, export jobs, manifest, files
    builder.Services.AddImport();            // Bulk $import: kick-off, SSRF-guarded sources, import jobs, manifest
    builder.Services.AddStorage();           // job output files
    builder.Services.AddHealth();            // /health/live and /health/ready
    builder.Services.AddAuthIssuer();        // built-in SMART Backend Services token issuer (Auth:Issuer, off by default)
    builder.Services.AddSimulation();        // reference-test-server mode (Simulation:Enabled; off by default)
    builder.Services.AddFacadeOpenApi();     // Swashbuckle
    builder.Services.AddWebConsole();        // pages for people: launch page, jobs view

    var app = builder.Build();
    app.ValidateConfiguration();             // a bad setting stops here, naming its key
    app.UseForwardedHeaders();
    app.UseSimulation();                     // /sim/{behaviours}/fhir/… and X-Simulate, when Simulation:Enabled
    app.UseRouting();                        // after the simulation rewrite: endpoints are matched on the /fhir path
    app.UseFhirErrors();
    app.UseRequestSizeLimits();
    app.UseFhirAuth();                       // 401/403 with an OperationOutcome before any /fhir endpoint, when Auth:Enabled
    app.MapFacadeOpenApi();                  // /swagger
    app.MapHealth();
    app.MapAuthIssuer();                     // /auth/token, /.well-known/jwks.json when Auth:Issuer:Enabled; /auth/clients registrations
    app.MapJobsDashboard();                  // /hangfire, local requests only by default
    app.MapWebConsole();                     // /console/assets (pages: / and /console/jobs)
    app.MapEmbeddedUpstream();               // /upstream/fhir when Upstream:BaseUrl is not set (workers call it too)
    if (app.ServesApi())                     // Server:Role=Worker serves only health, the dashboard and Swagger
    {
        app.MapMetadata();                       // /fhir/metadata: the upstream's statement + the facade's additions
        app.MapSmartConfiguration();             // /fhir/.well-known/smart-configuration (auth on)
        app.MapAsync();                          // /fhir/_async/{id}, /fhir/$export-poll-status
        app.MapExport();                         // /fhir/$export, /fhir/Patient/$export, /fhir/Group/{id}/$export, files
        app.MapImport();                         // /fhir/$import, /fhir/OperationDefinition/import
        app.MapPassThrough().WithAsyncKickOff(); // /fhir/** → upstream, or a job when Prefer: respond-async
    }

    app.Run();
    return 0;
}
catch (Exception ex) when (StartupValidation.Describe(ex) is { } message)
{
    Console.Error.WriteLine(message);
    return 1;
}
