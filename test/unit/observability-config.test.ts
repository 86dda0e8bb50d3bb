import { loadConfig } from '../../src/config';

/* The operations settings of issue 19: defaults, and a clear error naming the setting for a bad value. */
describe('operations configuration', () => {
  it('has defaults for a run with none set', () => {
    const config = loadConfig({}, '/tmp');
    expect([config.logLevel, config.metricsToken, config.metricsPort, config.metricsCacheMs, config.shutdownTimeoutMs]).toEqual(['info', undefined, undefined, 5000, 30000]);
  });

  it.each([
    [{ LOG_LEVEL: 'WARN' }, 'logLevel', 'warn'],
    [{ LOG_LEVEL: 'silent' }, 'logLevel', 'silent'],
    [{ METRICS_TOKEN: 's3cret' }, 'metricsToken', 's3cret'],
    [{ METRICS_PORT: '9464' }, 'metricsPort', 9464],
    [{ METRICS_PORT: '0' }, 'metricsPort', 0],
    [{ METRICS_CACHE_MS: '0' }, 'metricsCacheMs', 0],
    [{ SHUTDOWN_TIMEOUT_MS: '5000' }, 'shutdownTimeoutMs', 5000],
  ])('reads %j', (env, field, value) => {
    expect(loadConfig(env, '/tmp')[field as 'logLevel']).toEqual(value);
  });

  it.each([
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of/],
    [{ METRICS_PORT: '70000' }, /METRICS_PORT must be a port number/],
    [{ METRICS_PORT: 'metrics' }, /METRICS_PORT must be a port number/],
    [{ SHUTDOWN_TIMEOUT_MS: '-1' }, /SHUTDOWN_TIMEOUT_MS must be a non-negative integer/],
    [{ METRICS_CACHE_MS: 'soon' }, /METRICS_CACHE_MS must be a non-negative integer/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env, '/tmp')).toThrow(message);
  });
});
