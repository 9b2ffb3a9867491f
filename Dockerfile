# Multi-stage: SDK build → ASP.NET runtime. The build runs the same `dotnet publish` as a local build:
#   dotnet publish src/AsyncFacade.Server -c Release -o out
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is cached until a dependency changes.
COPY AsyncFacade.sln Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/AsyncFacade.Server/AsyncFacade.Server.csproj src/AsyncFacade.Server/
COPY src/AsyncFacade.SampleUpstream/AsyncFacade.SampleUpstream.csproj src/AsyncFacade.SampleUpstream/
# The server signs SMART client assertions for its upstream with the client library's key code.
COPY src/AsyncFacade.Client/AsyncFacade.Client.csproj src/AsyncFacade.Client/
RUN dotnet restore src/AsyncFacade.Server/AsyncFacade.Server.csproj
COPY src/ src/
RUN dotnet publish src/AsyncFacade.Server/AsyncFacade.Server.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for the HEALTHCHECK below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/asyncfacade/output \
 && chown "$APP_UID" /var/lib/asyncfacade/output
WORKDIR /app
COPY --from=build /app .
# All configuration is by environment variables (Section__Key), e.g.
#   -e Upstream__BaseUrl=https://fhir.example.org/r4 -e ConnectionStrings__Postgres="Host=db;Username=af;Password=…"
# JSON logs, one object per line, even under `docker run -t` (a TTY would otherwise get the readable format).
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Logging__Console__FormatterName=json \
    Storage__LocalPath=/var/lib/asyncfacade/output
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://localhost:8080/health/live || exit 1
ENTRYPOINT ["dotnet", "AsyncFacade.Server.dll"]
