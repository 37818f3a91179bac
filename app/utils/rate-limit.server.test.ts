// The subject of per-client-address limits: IPv4 as is, IPv6 by its /64, IPv4-mapped IPv6 as the IPv4 address.
import { afterAll, describe, expect, it } from 'vitest'
import { clientAddressKey } from './rate-limit.server.ts'
import { redis } from './redis.server.ts'

// Importing the module opens the shared connection; no command is sent, so it is simply dropped.
afterAll(() => {
  redis.disconnect()
})

describe('clientAddressKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7')
    expect(clientAddressKey('203.0.113.8')).not.toBe(clientAddressKey('203.0.113.7'))
  })

  it('counts every address of one IPv6 /64 together, whatever its spelling', () => {
    const key = clientAddressKey('2001:db8:85a3:12::1')
    expect(key).toBe('2001:db8:85a3:12::/64')
    for (const same of ['2001:0db8:85a3:0012:ffff:abcd:1234:5678', '2001:DB8:85A3:12:0:0:0:2', '2001:db8:85a3:12::192.0.2.1', '2001:db8:85a3:12::9%eth0']) {
      expect(clientAddressKey(same)).toBe(key)
    }
  })

  it('keeps different /64 prefixes apart, including ones written with "::" early', () => {
    expect(clientAddressKey('2001:db8:85a3:13::1')).toBe('2001:db8:85a3:13::/64')
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64')
    expect(clientAddressKey('::')).toBe('0:0:0:0::/64')
  })

  it('treats an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(clientAddressKey('::ffff:198.51.100.4')).toBe('198.51.100.4')
    expect(clientAddressKey('::ffff:c633:6404')).toBe('198.51.100.4')
  })
})
