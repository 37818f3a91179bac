// Runs in every test process before the tests: points the app modules at the run's own database, Redis and SMTP.
import { inject } from 'vitest'
import { envFor } from './test-env.ts'

Object.assign(process.env, envFor(inject('testContext')))
