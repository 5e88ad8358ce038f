"""What every capability stands on: database set-up, the settings cache, security headers, rate
limits, i18n, error pages, keyset paging, file storage, the version guard and the @requires access
decorator."""
