import { Global, Module } from '@nestjs/common';
import { CdrsModule } from '../cdrs/cdrs.module';
import { NumberMaskingService } from './number-masking.service';
import { PrivacyController } from './privacy.controller';
import { PrivacySettingsService } from './privacy-settings.service';

/**
 * Privacy (KVKK/GDPR, docs/security.md#privacy): role-based phone number masking and the audited reveal.
 * Global, so that every feature that sends numbers (CDR list, reports, events, exports, detection findings) can
 * inject `NumberMaskingService` without importing this module.
 */
@Global()
@Module({
  imports: [CdrsModule],
  controllers: [PrivacyController],
  providers: [NumberMaskingService, PrivacySettingsService],
  exports: [NumberMaskingService, PrivacySettingsService],
})
export class PrivacyModule {}
