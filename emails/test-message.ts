// A plain message used to check that mail goes out (staff "send a test", the mail module's own tests).
import { z } from 'zod'
import { defineTemplate, layoutValues } from './template.ts'

export const testMessage = defineTemplate({
  values: layoutValues.extend({ body: z.string().trim().min(1) }),
  copy: {
    fr: {
      subject: 'Message de test de {{organizationName}}',
      heading: 'Message de test',
      note: 'Ce message a été envoyé depuis Relais pour vérifier que les courriels partent bien.',
    },
    en: {
      subject: 'Test message from {{organizationName}}',
      heading: 'Test message',
      note: 'This message was sent from Relais to check that email goes out.',
    },
  },
  body: (copy) => `
        <mj-text><h1 style="font-size:22px;line-height:28px;margin:0 0 16px">${copy.heading}</h1><p>{{body}}</p></mj-text>
        <mj-text font-size="14px" color="#4a5560"><p>${copy.note}</p></mj-text>`,
})
